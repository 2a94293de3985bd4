import { CounterMetrics, type LogFields, type Logger } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { SchemaGuard, undeclaredColumns } from "./schema-drift.ts";

/** A logger that keeps what it was told, for asserting on warnings. */
function recordingLogger(): Logger & { warnings: { event: string; fields?: LogFields }[] } {
  const warnings: { event: string; fields?: LogFields }[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (event, fields) => void warnings.push({ event, fields }) };
}

const streams = { "Custom-XdrAlertInfo": { columns: [{ name: "TimeGenerated" }, { name: "RowId" }, { name: "AlertId" }] } };

describe("undeclaredColumns", () => {
  it.each([
    ["all declared", { RowId: "r", AlertId: "a" }, []],
    ["one extra", { RowId: "r", Extra: 1 }, ["Extra"]],
    ["several, sorted", { Zeta: 1, RowId: "r", Alpha: null }, ["Alpha", "Zeta"]],
    ["an undefined value is never sent", { RowId: "r", Gone: undefined }, []],
    ["names are matched exactly", { rowid: "r" }, ["rowid"]],
  ])("%s", (_, record, expected) => {
    expect(undeclaredColumns(record, new Set(["TimeGenerated", "RowId", "AlertId"]))).toEqual(expected);
  });
});

describe("SchemaGuard", () => {
  it("does not check a stream that has no declaration", () => {
    const guard = new SchemaGuard(streams, "deadLetter");
    expect(guard.check("Custom-Other", { Anything: 1 })).toEqual({ kind: "declared" });
  });

  it("names the undeclared columns, the policy's action and the fix", () => {
    const check = new SchemaGuard(streams, "deadLetter").check("Custom-XdrAlertInfo", { RowId: "r", NewCol: 1 });
    expect(check).toMatchObject({ kind: "drift", columns: ["NewCol"], action: "deadLetter" });
    const fix = check.kind === "drift" ? check.fix : "";
    for (const words of ["NewCol", "streamDeclarations", "XdrAlertInfo_CL", "ingestion.streams", "dlq replay"])
      expect(fix).toContain(words);
  });

  it("under warn, counts every drifted row but warns once per stream and column set", () => {
    const guard = new SchemaGuard(streams, "warn");
    const logger = recordingLogger();
    const metrics = new CounterMetrics();
    guard.report("Custom-XdrAlertInfo", ["A"], logger, metrics);
    guard.report("Custom-XdrAlertInfo", ["A"], logger, metrics);
    guard.report("Custom-XdrAlertInfo", ["A", "B"], logger, metrics);
    guard.report("Custom-XdrAlertEvidence", ["A"], logger, metrics);
    expect(metrics.get("rowsSchemaDrifted")).toBe(4);
    expect(logger.warnings.map((w) => [w.fields?.["stream"], w.fields?.["columns"]])).toEqual([
      ["Custom-XdrAlertInfo", ["A"]],
      ["Custom-XdrAlertInfo", ["A", "B"]],
      ["Custom-XdrAlertEvidence", ["A"]],
    ]);
  });

  it("under deadLetter, counts the row without a warning (the dead letter carries the fix)", () => {
    const logger = recordingLogger();
    const metrics = new CounterMetrics();
    new SchemaGuard(streams, "deadLetter").report("Custom-XdrAlertInfo", ["A"], logger, metrics);
    expect([metrics.get("rowsSchemaDrifted"), logger.warnings.length]).toEqual([1, 0]);
  });
});
