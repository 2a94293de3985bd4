import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { afterEach, describe, expect, it } from "vitest";
import { summariseDeadLetters, summaryLines } from "./dead-letter-summary.ts";

let dir: string;
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
        { reason: "IngestionRejected", count: 2_277, first: { messageId: "r0", description: "400: bad value" } },
        {
          reason: "SchemaDrift",
          count: 23,
          first: { messageId: "r7", description: "column Count is declared long\nbut holds text" },
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
    const reasons = [{ reason: "IngestionRejected", count: 1, first: { messageId: "r1", description } }];
    const [, cut] = summaryLines("rows", 1, reasons);
    expect(cut).toMatch(/^ {2}1 IngestionRejected — e\.g\. r1: 400: field Title.{100,}… \(--full shows it whole\)$/);
    expect(summaryLines("rows", 1, reasons, { full: true })[2]).toBe(`      ${description}`);
  });
});

describe("a reason a replay cannot fix", () => {
  it("says what to do instead, after the examples", () => {
    const reasons = [
      { reason: "RowTooLarge", count: 2, first: { messageId: "r1", description: "row is 300000 bytes" } },
      { reason: "IngestionFailed", count: 1, first: { messageId: "r2", description: "503" } },
    ];
    const lines = summaryLines("rows", 3, reasons);
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(
        /^ {2}RowTooLarge: a replay cannot bring these in: .*backfill --again.*dlq drop --reason RowTooLarge$/,
      ),
      "  fix the cause, then: xdr-relay dlq replay --queue rows [--reason <reason>]",
    ]);
  });
});
