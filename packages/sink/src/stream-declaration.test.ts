import { describe, expect, it } from "vitest";
import { toRecord } from "./record.ts";
import { dcrType, streamColumns } from "./stream-declaration.ts";

/** An `AlertInfo`-like schema, written `name:Type`. */
const alertInfoSchema = ["Timestamp:DateTime", "AlertId:String", "Title:String", "AttackTechniques:String", "FileSize:Int64"].map(
  (c) => {
    const [name = "", type = ""] = c.split(":");
    return { name, type };
  },
);

describe("dcrType", () => {
  it.each([
    ["DateTime", "datetime"],
    ["String", "string"],
    ["Int32", "int"],
    ["Int64", "long"],
    ["Double", "real"],
    ["Boolean", "boolean"],
    ["Object", "dynamic"],
    ["Dynamic", "dynamic"],
    ["datetime", "datetime"],
    ["TimeSpan", "dynamic"],
    ["Guid", "dynamic"],
  ])("maps %s to %s", (hunting, dcr) => {
    expect(dcrType(hunting)).toBe(dcr);
  });
});

describe("streamColumns", () => {
  it("declares the added columns first, then each hunting column by its table name and type", () => {
    expect(streamColumns(alertInfoSchema).map((c) => `${c.name}:${c.type}`)).toEqual([
      "TimeGenerated:datetime",
      "RowId:string",
      "SourceTenant:string",
      "XdrTruncatedColumns:dynamic",
      "Timestamp:datetime",
      "AlertId:string",
      "AlertTitle:string",
      "AttackTechniques:string",
      "FileSize:long",
    ]);
  });

  /** The record the sink uploads for a row. */
  const recordOf = (row: Record<string, unknown>) =>
    toRecord({ version: 1, tenant: "t", query: "q", stream: "Custom-X", window: "w", rowId: "0".repeat(32), attempt: 0, row });

  // A column the stream does not declare is dropped by the service without an error.
  it("declares every column of the records the sink uploads", () => {
    const row = { Timestamp: "2026-09-01T08:30:00Z", AlertId: "da1", Title: "t", AttackTechniques: "[]", FileSize: 42 };
    const declared = streamColumns(alertInfoSchema).map((c) => c.name);
    expect(declared).toEqual(expect.arrayContaining(Object.keys(recordOf(row))));
  });

  it("declares two hunting columns that make one table column under two names, as the records carry them", () => {
    const schema = [
      { name: "Timestamp", type: "DateTime" },
      { name: "Account Upn", type: "String" },
      { name: "Account_Upn", type: "String" },
    ];
    const row = { Timestamp: "2026-09-01T08:30:00Z", "Account Upn": "alice", Account_Upn: "bob" };
    const declared = streamColumns(schema).map((c) => c.name);
    expect(new Set(declared).size).toBe(declared.length);
    expect(declared).toEqual(expect.arrayContaining(Object.keys(recordOf(row))));
    expect(declared.filter((n) => n.startsWith("Account_Upn"))).toHaveLength(2);
  });
});
