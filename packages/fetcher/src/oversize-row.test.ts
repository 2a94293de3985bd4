import type { RowMessage } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { fitRowMessage, messageOverheadBytes } from "./oversize-row.ts";
import { rowMessages } from "./row-messages.ts";

const base: RowMessage = {
  version: 1,
  tenant: "contoso",
  query: "alert-evidence",
  stream: "Custom-XdrAlertEvidence",
  window: "contoso|alert-evidence|2026-11-26T10:00:00.000Z|2026-11-26T10:05:00.000Z",
  rowId: "0123456789abcdef0123456789abcdef",
  attempt: 0,
  row: { Timestamp: "2026-11-26T10:01:00Z", AlertId: "da1", DeviceName: "pc-1", RegistryValueData: "x".repeat(10_000) },
};
const size = Buffer.byteLength(JSON.stringify(base));

describe("fitRowMessage", () => {
  it.each([
    ["well under the limit", 256 * 1024],
    ["exactly at the limit, overhead included", size + messageOverheadBytes],
  ])("keeps a message %s", (_, limit) => {
    expect(fitRowMessage(base, limit)).toBe(base);
  });

  it("replaces a message one byte over by a stand-in with the window, rowId and key columns", () => {
    const limit = size + messageOverheadBytes - 1;
    expect(fitRowMessage(base, limit)).toEqual({
      ...base,
      row: { Timestamp: "2026-11-26T10:01:00Z", AlertId: "da1", DeviceName: "pc-1" },
      tooLarge: { bytes: size, limitBytes: limit },
    });
  });
});

describe("rowMessages", () => {
  const rows = [
    { Timestamp: "2026-11-26T10:01:00Z", AlertId: "da1", AdditionalFields: "y".repeat(70_000) },
    { Timestamp: "2026-11-26T10:02:00Z", AlertId: "da2", A: "a".repeat(60_000), B: "b".repeat(60_000) },
  ];
  const args = { tenant: "contoso", query: "alert-evidence", stream: "Custom-XdrAlertEvidence", window: base.window, rows };

  it("cuts fields, sends a stand-in for a row that still does not fit, and keeps every row's id", () => {
    const [cut, standIn] = rowMessages({ ...args, maxMessageBytes: 100_000 }).map((m) => ({
      id: m.messageId,
      body: m.body as RowMessage,
    }));
    expect(cut?.body.row["AdditionalFields"]).toBe("y".repeat(64 * 1024));
    expect(cut?.body.row["XdrTruncatedColumns"]).toEqual(["AdditionalFields"]);
    expect(cut?.body.tooLarge).toBeUndefined();
    expect(standIn?.body.row).toEqual({ Timestamp: "2026-11-26T10:02:00Z", AlertId: "da2" });
    expect(standIn?.body.tooLarge?.limitBytes).toBe(100_000);
    // Ids come from the rows as fetched: the same as with a limit that fits everything.
    const ids = rowMessages({ ...args, maxMessageBytes: 1_000_000 }).map((m) => m.messageId);
    expect([cut?.body.rowId, standIn?.body.rowId]).toEqual(ids);
    // The stand-in goes under its own message id, so the full row is not taken for its duplicate
    // when the window is fetched again with a larger limit.
    expect([cut?.id, standIn?.id]).toEqual([ids[0], `big-${ids[1]}`]);
  });
});
