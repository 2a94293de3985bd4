import { windowedQuery } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { KqlError, parseHuntingQuery, parseTimespan } from "../src/hunting/index.ts";

const t = (iso: string) => Date.parse(iso);

describe("parseHuntingQuery", () => {
  it("reads the relay's windowed query through core's window filter", () => {
    const range = { startMs: t("2026-03-01T00:00:00Z"), endMs: t("2026-03-01T00:05:00Z") };
    const plan = parseHuntingQuery(windowedQuery("AlertEvidence\n| project Timestamp, AlertId, SHA256", range));
    expect(plan.table).toBe("AlertEvidence");
    expect(plan.columns.map((c) => c.name)).toEqual(["Timestamp", "AlertId", "SHA256"]);
    expect(plan.window).toEqual(range);
  });

  it("keeps separators inside string literals and intersects several windows", () => {
    const plan = parseHuntingQuery(
      'AlertInfo | where Title == "Command and Control | beacon" and Category in ("A,B", \'C\')' +
        " | where Timestamp >= datetime(2026-03-01T00:00:00Z) and Timestamp < datetime(2026-03-02T00:00:00Z)" +
        " | where Timestamp >= datetime(2026-03-01T12:00:00Z) and Timestamp < datetime(2026-03-03T00:00:00Z)",
    );
    expect(plan.filters).toEqual([
      { column: "Title", values: new Set(["Command and Control | beacon"]) },
      { column: "Category", values: new Set(["A,B", "C"]) },
    ]);
    expect(plan.window).toEqual({ startMs: t("2026-03-01T12:00:00Z"), endMs: t("2026-03-02T00:00:00Z") });
  });

  it.each([
    ["AlertInfo | project AlertId | where Timestamp >= datetime(2026-03-01) and Timestamp < datetime(2026-03-02)", /Timestamp/],
    ["AlertInfo | where Timestamp > datetime(2026-03-01) and Timestamp < datetime(2026-03-02)", /time filter/],
    ["AlertInfo | where FileSize == 3", /FileSize|scalar/],
    ['AlertEvidence | where FileSize == "3"', /string column/],
    ["AlertInfo | where Category in (Execution)", /string literals/],
    ["AlertInfo | project AlertId, AlertId", /twice/],
    ["AlertInfo | take 10", /take/],
  ])("refuses %s", (query, message) => {
    expect(() => parseHuntingQuery(query)).toThrow(KqlError);
    expect(() => parseHuntingQuery(query)).toThrow(message);
  });
});

describe("parseTimespan", () => {
  const now = t("2026-03-10T00:00:00Z");
  it.each([
    [undefined, "2026-02-08T00:00:00.000Z", "2026-03-10T00:00:00.000Z"],
    ["2026-03-01T00:00:00Z/2026-03-02T00:00:00Z", "2026-03-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z"],
    ["P1D/2026-03-02T00:00:00Z", "2026-03-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z"],
    ["2026-03-01T00:00:00Z/PT6H", "2026-03-01T00:00:00.000Z", "2026-03-01T06:00:00.000Z"],
    ["P30D", "2026-02-08T00:00:00.000Z", "2026-03-10T00:00:00.000Z"],
    ["2026-03-09T00:00:00Z", "2026-03-09T00:00:00.000Z", "2026-03-10T00:00:00.000Z"],
  ])("reads %s", (text, start, end) => {
    const range = parseTimespan(text, now);
    expect([range?.startMs, range?.endMs].map((ms) => new Date(ms ?? 0).toISOString())).toEqual([start, end]);
  });

  it.each(["P", "PT", "yesterday", "2026-03-02T00:00:00Z/2026-03-01T00:00:00Z", "P1D/P2D", "a/b/c"])("refuses %s", (text) => {
    expect(parseTimespan(text, now)).toBeUndefined();
  });
});
