import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { afterEach, describe, expect, it } from "vitest";
import { summariseDeadLetters, summaryLines } from "./dead-letter-summary.ts";

let dir: string;

const oneCause = (reason: string, count: number, messageId: string, description: string) => ({
  reason,
  count,
  causes: [{ count, first: { messageId, description } }],
  otherCauses: 0,
});

/** Dead-letters one `rows` message per description, ids `r0`, `r1`, … in order. */
async function deadLettersOf(queue: EmbeddedQueueClient, reason: string, descriptions: readonly string[]) {
  const ids = descriptions.map((_, i) => `r${i}`);
  await queue.createSender("rows").sendMessages(ids.map((messageId) => ({ messageId, body: {} })));
  const receiver = queue.createReceiver("rows");
  const received = await receiver.receiveMessages(ids.length, { maxWaitTimeInMs: 0 });
  for (const [i, m] of received.entries()) {
    await receiver.deadLetterMessage(m, { deadLetterReason: reason, deadLetterErrorDescription: descriptions[i] ?? "" });
  }
  const peek = (name: string, options: Parameters<EmbeddedQueueClient["peekMessages"]>[1]) => queue.peekMessages(name, options);
  return summariseDeadLetters(peek, "rows");
}
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("dlq list's summary", () => {
  it("counts every dead letter by reason across pages, most frequent first, with an example of each", async () => {
    dir = mkdtempSync(join(tmpdir(), "xdr-dlq-"));
    const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
    try {
      // More than one page (2,000) of one reason, and a rarer one in between.
      const ids = Array.from({ length: 2_300 }, (_, i) => `r${i}`);
      await queue.createSender("rows").sendMessages(ids.map((messageId) => ({ messageId, body: {} })));
      const receiver = queue.createReceiver("rows");
      const received = await receiver.receiveMessages(ids.length, { maxWaitTimeInMs: 0 });
      await Promise.all(
        received.map((m, i) =>
          receiver.deadLetterMessage(
            m,
            i % 100 === 7
              ? { deadLetterReason: "SchemaDrift", deadLetterErrorDescription: "column Count is declared long\nbut holds text" }
              : { deadLetterReason: "IngestionRejected", deadLetterErrorDescription: "400: bad value" },
          ),
        ),
      );
      const peek = (name: string, options: Parameters<EmbeddedQueueClient["peekMessages"]>[1]) =>
        queue.peekMessages(name, options);
      const reasons = await summariseDeadLetters(peek, "rows");
      expect(reasons).toEqual([
        {
          reason: "IngestionRejected",
          count: 2_277,
          causes: [{ count: 2_277, first: { messageId: "r0", description: "400: bad value" } }],
          otherCauses: 0,
        },
        {
          reason: "SchemaDrift",
          count: 23,
          causes: [{ count: 23, first: { messageId: "r7", description: "column Count is declared long\nbut holds text" } }],
          otherCauses: 0,
        },
      ]);
      expect(summaryLines("rows", 2_300, reasons)).toEqual([
        "rows: 2300 dead-lettered",
        "  2277 IngestionRejected — e.g. r0: 400: bad value",
        "  23 SchemaDrift — e.g. r7: column Count is declared long but holds text",
        "  fix the cause, then: xdr-relay dlq replay --queue rows [--reason <reason>]",
      ]);
      expect(summaryLines("rows", 2_300, reasons, { full: true }).slice(3, 6)).toEqual([
        "  23 SchemaDrift — e.g. r7:",
        "      column Count is declared long",
        "      but holds text",
      ]);
    } finally {
      await queue.close();
    }
  });
});

describe("a long dead-letter description", () => {
  it("is cut to one line with a pointer to --full, which prints it whole", () => {
    const description = `400: ${"field Title: value too long; ".repeat(10)}`;
    const reasons = [oneCause("IngestionRejected", 1, "r1", description)];
    const [, cut] = summaryLines("rows", 1, reasons);
    expect(cut).toMatch(/^ {2}1 IngestionRejected — e\.g\. r1: 400: field Title.{100,}… \(--full shows it whole\)$/);
    expect(summaryLines("rows", 1, reasons, { full: true })[2]).toBe(`      ${description}`);
  });
});

describe("a reason a replay cannot fix", () => {
  it("says what to do instead, after the examples", () => {
    const reasons = [oneCause("RowTooLarge", 2, "r1", "row is 300000 bytes"), oneCause("IngestionFailed", 1, "r2", "503")];
    const lines = summaryLines("rows", 3, reasons);
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(
        /^ {2}RowTooLarge: a replay cannot bring these in: .*backfill --again.*dlq drop --reason RowTooLarge$/,
      ),
      "  fix the cause, then: xdr-relay dlq replay --queue rows [--reason <reason>]",
    ]);
  });
});

describe("dead letters of one reason parked for different causes", () => {
  it("are counted by cause, numbers and ids aside, so a second cause is not hidden behind the first", async () => {
    dir = mkdtempSync(join(tmpdir(), "xdr-dlq-"));
    const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
    try {
      const drift = (column: string, row: number) =>
        `row ${row.toString(16).padStart(32, "0")} of window contoso|alert-info|2026-11-26T04:4${row % 10}:00.000Z: undeclared column ${column}`;
      const descriptions = [
        ...Array.from({ length: 5 }, (_, i) => drift("NewColumn", i)),
        ...Array.from({ length: 2 }, (_, i) => drift("OtherColumn", 10 + i)),
      ];
      const [reason] = await deadLettersOf(queue, "SchemaDrift", descriptions);
      expect(reason?.causes.map((c) => [c.count, c.first.messageId])).toEqual([
        [5, "r0"],
        [2, "r5"],
      ]);
      const lines = summaryLines("rows", 7, reason ? [reason] : []);
      expect(lines.slice(1, 4)).toEqual([
        "  7 SchemaDrift, for 2 causes:",
        `    5 e.g. r0: ${drift("NewColumn", 0)}`,
        `    2 e.g. r5: ${drift("OtherColumn", 10)}`,
      ]);
    } finally {
      await queue.close();
    }
  });

  it("shows the three most frequent causes, and with --full all it kept (ten), counting the rest", async () => {
    dir = mkdtempSync(join(tmpdir(), "xdr-dlq-"));
    const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
    try {
      // Twelve causes (words, not numbers, differ), the first met twice.
      const words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split(" ");
      const [reason] = await deadLettersOf(queue, "IngestionRejected", ["400: alpha", ...words.map((w) => `400: ${w}`)]);
      expect(reason?.causes).toHaveLength(10);
      expect(reason?.otherCauses).toBe(2);
      const lines = summaryLines("rows", 13, reason ? [reason] : []);
      expect(lines.slice(1, 6)).toEqual([
        "  13 IngestionRejected, for more than 10 causes:",
        "    2 e.g. r0: 400: alpha",
        "    1 e.g. r2: 400: bravo",
        "    1 e.g. r3: 400: charlie",
        "    9 for other causes (--full shows 7 more of them)",
      ]);
      const full = summaryLines("rows", 13, reason ? [reason] : [], { full: true });
      expect(full.filter((l) => l.startsWith("    ")).at(-1)).toBe("    2 for other causes");
    } finally {
      await queue.close();
    }
  });
});
