import { describe, expect, it } from "vitest";
import { RowMessage } from "./row-message.ts";
import { issuePaths } from "./schema-issues.ts";

const valid = {
  version: 1,
  tenant: "contoso",
  query: "alert-info",
  stream: "Custom-XdrAlertInfo",
  window: "contoso|alert-info|2026-11-26T04:45:00.000Z|2026-11-26T04:50:00.000Z",
  rowId: "0123456789abcdef0123456789abcdef",
  row: { Timestamp: "2026-11-26T04:46:00Z", AlertId: "da1", Nested: { a: [1, 2] } },
};

describe("RowMessage", () => {
  it("accepts a row message and defaults its attempts to none spent", () => {
    expect(RowMessage.parse(valid)).toEqual({ ...valid, attempt: 0 });
  });

  it("accepts a stand-in for a row too large for one message, still version 1", () => {
    const standIn = { ...valid, attempt: 0, tooLarge: { bytes: 300_000, limitBytes: 262_144 } };
    expect(RowMessage.parse(standIn)).toEqual(standIn);
  });

  it.each([
    ["a stand-in without its size", { tooLarge: { limitBytes: 262_144 } }, "tooLarge.bytes"],
    ["a body from a future version", { version: 2 }, "version"],
    ["an empty stream", { stream: "" }, "stream"],
    ["an empty window id", { window: "" }, "window"],
    ["an upper-case rowId", { rowId: "0123456789ABCDEF0123456789ABCDEF" }, "rowId"],
    ["a short rowId", { rowId: "0123" }, "rowId"],
    ["a row that is a list", { row: [1, 2] }, "row"],
    ["a missing row", { row: undefined }, "row"],
    ["a null row", { row: null }, "row"],
    ["a row that is text", { row: '{"AlertId":"da1"}' }, "row"],
    ["a negative attempt", { attempt: -1 }, "attempt"],
    ["an unknown field", { extra: true }, ""],
  ])("refuses %s", (_, change, path) => {
    expect(issuePaths(RowMessage, { ...valid, ...change })).toEqual([path]);
  });
});
