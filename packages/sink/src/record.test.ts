import { rowIdOf } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { toRecord } from "./record.ts";
import { slowRecord } from "./record-shape.ts";

describe("toRecord", () => {
  it("stamps TimeGenerated from Timestamp, keeps Timestamp, adds RowId and SourceTenant, renames Title", () => {
    const row = {
      Timestamp: "2026-09-01T08:30:00.123Z",
      AlertId: "da638",
      Title: "Suspicious PowerShell",
      Category: "Execution",
    };
    const rowId = rowIdOf("contoso", "alert-info", row);
    const message = {
      version: 1,
      tenant: "contoso",
      query: "alert-info",
      stream: "Custom-XdrAlertInfo",
      window: "w",
      rowId,
      attempt: 0,
      row,
    } as const;
    expect(toRecord(message)).toStrictEqual({
      TimeGenerated: "2026-09-01T08:30:00.123Z",
      RowId: rowId,
      SourceTenant: "contoso",
      Timestamp: "2026-09-01T08:30:00.123Z",
      AlertId: "da638",
      AlertTitle: "Suspicious PowerShell",
      Category: "Execution",
    });
  });
});

describe("toRecord with hunting columns named like the sink's own", () => {
  it("keeps the sink's RowId, TimeGenerated and SourceTenant and moves the row's values aside", () => {
    const row = {
      Timestamp: "2026-09-01T08:30:00.000Z",
      RowId: "theirs",
      TimeGenerated: "2020-01-01T00:00:00Z",
      SourceTenant: "x",
    };
    const rowId = rowIdOf("contoso", "q", row);
    const record = toRecord({
      version: 1,
      tenant: "contoso",
      query: "q",
      stream: "Custom-X",
      window: "w",
      rowId,
      attempt: 0,
      row,
    });
    expect(record).toMatchObject({
      RowId: rowId,
      TimeGenerated: "2026-09-01T08:30:00.000Z",
      SourceTenant: "contoso",
      HuntingRowId: "theirs",
      HuntingTimeGenerated: "2020-01-01T00:00:00Z",
      HuntingSourceTenant: "x",
    });
  });
});

describe("toRecord with two hunting columns that make one table column", () => {
  const message = (row: Record<string, unknown>) =>
    ({ version: 1, tenant: "t", query: "q", stream: "Custom-X", window: "w", rowId: "0".repeat(32), attempt: 0, row }) as const;

  it.each([
    ["a name made valid beside the valid one", { "Account Upn": "alice", Account_Upn: "bob" }, "Account_Upn"],
    ["a reserved name renamed beside the new name", { Title: "t", AlertTitle: "at" }, "AlertTitle"],
  ])("keeps both values for %s, in either order", (_, row, kept) => {
    const reversed = Object.fromEntries(Object.entries(row).reverse());
    for (const r of [row, reversed]) {
      const record = toRecord(message(r));
      const values = Object.entries(record).filter(([k]) => k.startsWith(kept));
      expect(values.map(([, v]) => v).sort()).toEqual(Object.values(row).sort());
      // The column already named so keeps its name; the other gets a suffix, the same in every row.
      expect(record[kept]).toBe(row[kept as keyof typeof row]);
      expect(Object.keys(toRecord(message(row))).sort()).toEqual(Object.keys(record).sort());
    }
  });
});

describe("toRecord across row shapes", () => {
  const message = (row: Record<string, unknown>) =>
    ({ version: 1, tenant: "t", query: "q", stream: "Custom-X", window: "w", rowId: "0".repeat(32), attempt: 0, row }) as const;

  it.each([
    ["no columns", {}],
    ["no Timestamp", { A: 1 }],
    ["columns that need renaming", { Timestamp: "2026-01-01T00:00:00Z", "a-b": 1, Title: "x", "9lives": true }],
    ["two columns with the same table name", { "a-b": 1, x: 2, a_b: 3 }],
    ["names that are not identifiers", { 'quo"te': 1, "back\\slash": 2, "new\nline": 3, "\u2028": 4, __proto__x: 5 }],
    ["an own __proto__ column", JSON.parse('{"__proto__": {"polluted": true}, "A": 1}')],
    ["values of every kind", { s: "x", n: 1.5, b: false, z: null, o: { a: [1] }, u: undefined }],
  ])("builds the same record as column-by-column for %s", (_, row) => {
    const record = toRecord(message(row));
    expect(record).toStrictEqual(slowRecord(row, "0".repeat(32), "t"));
    expect(Object.keys(record)).toEqual(Object.keys(slowRecord(row, "0".repeat(32), "t")));
    expect(JSON.stringify(record)).toBe(JSON.stringify(slowRecord(row, "0".repeat(32), "t")));
  });

  it("a row shape seen again gets the same record, however many shapes came between", () => {
    const a = { Timestamp: "2026-01-01T00:00:00Z", A: 1 };
    const b = { B: 2, Timestamp: "2026-01-01T00:00:00Z" };
    expect([toRecord(message(a)), toRecord(message(b)), toRecord(message(a))]).toStrictEqual([
      slowRecord(a, "0".repeat(32), "t"),
      slowRecord(b, "0".repeat(32), "t"),
      slowRecord(a, "0".repeat(32), "t"),
    ]);
  });
});
