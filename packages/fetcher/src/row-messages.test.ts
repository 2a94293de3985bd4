import { type HuntingRow, type OutgoingMessage, type RowMessage, rowIdsOf } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { maxFieldBytes, truncateFields } from "./field-truncation.ts";
import { fitRowMessage, standInMessageId } from "./oversize-row.ts";
import { RowMessageBuilder, rowMessages } from "./row-messages.ts";

const args = {
  tenant: "contoso",
  query: "alert-evidence",
  stream: "Custom-XdrAlertEvidence",
  window: "contoso|alert-evidence|2026-11-26T10:00:00.000Z|2026-11-26T10:05:00.000Z",
};

/** What every row went through before the fast path: cut fields, then fit, both serialising the row. */
function slowPath(rows: readonly HuntingRow[], maxMessageBytes: number) {
  const ids = rowIdsOf(args.tenant, args.query, rows);
  return rows.map((row, i) => {
    const rowId = ids[i] as string;
    const body = fitRowMessage({ version: 1, ...args, rowId, attempt: 0, row: truncateFields(row) }, maxMessageBytes);
    return { messageId: body.tooLarge ? standInMessageId(rowId) : rowId, body };
  });
}

describe("RowMessageBuilder", () => {
  // Sizes around the fast path's bounds (a third of 64 KB, a third of the message limit), in ASCII
  // and in 3-byte characters, so both sides of each bound are crossed.
  const sizes = [0, 100, 21_000, 21_845, 21_846, 22_000, 27_000, 28_500, 32_500, 33_000, 40_000, 66_000, 99_000, 120_000];
  const rows: HuntingRow[] = sizes.flatMap((n, i) => [
    { Timestamp: "2026-11-26T10:01:00Z", AlertId: `a${i}`, Data: "x".repeat(n) },
    { Timestamp: "2026-11-26T10:01:00Z", AlertId: `u${i}`, Data: "€".repeat(n / 3), Extra: { nested: "€".repeat(n / 3) } },
  ]);

  it.each([30_000, 100_000, 256 * 1024])(
    "gives every row the message the field cut and the size check would give, limit %i",
    (limit) => {
      expect(new RowMessageBuilder({ ...args, maxMessageBytes: limit }).build(rows).messages).toEqual(slowPath(rows, limit));
    },
  );

  it("counts the stand-ins it made", () => {
    const limit = 100_000;
    const { messages, tooLarge } = new RowMessageBuilder({ ...args, maxMessageBytes: limit }).build(rows);
    expect(tooLarge).toBe(messages.filter((m) => (m.body as RowMessage).tooLarge).length);
    expect(tooLarge).toBeGreaterThan(0);
    expect(maxFieldBytes).toBe(64 * 1024); // the sizes above assume it
  });

  it("numbers identical rows across chunks as in the whole result", () => {
    const row = { Timestamp: "2026-11-26T10:01:00Z", AlertId: "da1" };
    const result = [row, { ...row, AlertId: "da2" }, { ...row }, { ...row }, { ...row, AlertId: "da2" }];
    const builder = new RowMessageBuilder(args);
    const chunked = [result.slice(0, 2), result.slice(2, 3), result.slice(3)].flatMap((c) => builder.build(c).messages);
    expect(chunked).toEqual(rowMessages({ ...args, rows: result }));
    expect(new Set(chunked.map((m) => m.messageId)).size).toBe(5);
  });
});

describe("RowMessageBuilder with the result's columns", () => {
  const columns = ["Timestamp", "AlertId", "Title", "AlertTitle"];
  const full = { Timestamp: "2026-11-26T10:01:00Z", AlertId: "a1", Title: "t", AlertTitle: "at" };
  const lacking = { Timestamp: "2026-11-26T10:01:00Z", AlertId: "a2", Title: "t2" };

  it("gives a row that lacks a column that column as null, keeping the id of the row as fetched", () => {
    const [first, second] = new RowMessageBuilder({ ...args, columns }).build([full, lacking]).messages as OutgoingMessage[];
    expect((first as OutgoingMessage).body).toMatchObject({ row: full });
    expect((second as OutgoingMessage).body).toMatchObject({ row: { ...lacking, AlertTitle: null } });
    expect(second?.messageId).toBe(rowIdsOf(args.tenant, args.query, [lacking])[0]);
  });

  it("still cuts a long field of a completed row", () => {
    const long = { ...lacking, Title: "x".repeat(maxFieldBytes + 10) };
    const [message] = new RowMessageBuilder({ ...args, columns }).build([long]).messages as OutgoingMessage[];
    const { row } = (message as OutgoingMessage).body as RowMessage;
    expect(row["AlertTitle"]).toBeNull();
    expect(String(row["Title"]).length).toBe(maxFieldBytes);
  });
});
