import { builtInQueries } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { offlineSchema } from "./offline-schema.ts";

describe("offlineSchema", () => {
  it("knows the projected columns of every built-in query, in order and typed", () => {
    for (const q of Object.values(builtInQueries)) expect(offlineSchema(q.kql).kind).toBe("known");
    const info = offlineSchema(builtInQueries["alert-info"]?.kql ?? "");
    expect(info).toMatchObject({ kind: "known", table: "AlertInfo" });
    expect(info.kind === "known" && info.columns.slice(0, 2)).toEqual([
      { name: "Timestamp", type: "DateTime" },
      { name: "AlertId", type: "String" },
    ]);
  });

  it("keeps the columns through where stages, even with a | inside a string", () => {
    const r = offlineSchema('AlertInfo\n| where Title has "a|b"\n| project AlertId, Severity\n| where Severity == "High"');
    expect(r).toEqual({
      kind: "known",
      table: "AlertInfo",
      columns: [
        { name: "AlertId", type: "String" },
        { name: "Severity", type: "String" },
      ],
    });
  });

  it("gives a whole known table when nothing is projected", () => {
    const evidence = offlineSchema("AlertEvidence");
    expect(evidence.kind === "known" && evidence.columns.find((c) => c.name === "FileSize")).toEqual({
      name: "FileSize",
      type: "Int64",
    });
  });

  it.each([
    ["another table", "DeviceEvents | project Timestamp"],
    ["a column the table lacks", "AlertInfo | project Timestamp, Nope"],
    ["a richer query", "AlertInfo | extend X = 1"],
    ["a renaming project", "AlertInfo | project Name = Title"],
  ])("refuses to guess for %s", (_, kql) => {
    expect(offlineSchema(kql).kind).toBe("unknown");
  });
});
