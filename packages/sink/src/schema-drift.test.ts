import { CounterMetrics, type LogFields, type Logger } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { SchemaGuard, undeclaredColumns } from "./schema-drift.ts";

/** A logger that keeps what it was told, for asserting on warnings. */
function recordingLogger(): Logger & { warnings: { event: string; fields?: LogFields }[] } {
  const warnings: { event: string; fields?: LogFields }[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (event, fields) => void warnings.push({ event, fields }) };
}

/** A drift verdict as `check` returns it, for `report`. */
const drift = (columns: string[]) => ({ columns, fix: `fix ${columns.join(",")}` });

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
    guard.report("Custom-XdrAlertInfo", drift(["A"]), logger, metrics);
    guard.report("Custom-XdrAlertInfo", drift(["A"]), logger, metrics);
    guard.report("Custom-XdrAlertInfo", drift(["A", "B"]), logger, metrics);
    guard.report("Custom-XdrAlertEvidence", drift(["A"]), logger, metrics);
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
    new SchemaGuard(streams, "deadLetter").report("Custom-XdrAlertInfo", drift(["A"]), logger, metrics);
    expect([metrics.get("rowsSchemaDrifted"), logger.warnings.length]).toEqual([1, 0]);
  });
});

describe("SchemaGuard with declared types", () => {
  const typed = {
    "Custom-XdrAlertInfo": {
      columns: [
        { name: "RowId", type: "string" as const },
        { name: "Timestamp", type: "datetime" as const },
        { name: "Count", type: "long" as const },
        { name: "Untyped" },
      ],
    },
  };

  it("lets through a row whose values all fit their types", () => {
    const record = { RowId: "r", Timestamp: "2026-11-01T00:00:00Z", Count: 3, Untyped: { any: "thing" } };
    expect(new SchemaGuard(typed, "deadLetter").check("Custom-XdrAlertInfo", record)).toEqual({ kind: "declared" });
  });

  it("names a value the declared type cannot hold, what it is, and that it would become null", () => {
    const record = { RowId: "r", Timestamp: "yesterday", Count: 3 };
    const check = new SchemaGuard(typed, "deadLetter").check("Custom-XdrAlertInfo", record);
    expect(check).toMatchObject({ kind: "drift", columns: ["Timestamp"], action: "deadLetter" });
    const fix = check.kind === "drift" ? check.fix : "";
    for (const words of ['Timestamp is declared datetime but holds string "yesterday"', "null", "retype", "dlq replay"])
      expect(fix).toContain(words);
  });

  it("reports undeclared and mistyped columns of one row together, sorted", () => {
    const record = { RowId: "r", Count: 2.5, Zeta: 1, Timestamp: 17 };
    const check = new SchemaGuard(typed, "warn").check("Custom-XdrAlertInfo", record);
    expect(check).toMatchObject({ kind: "drift", columns: ["Count", "Timestamp", "Zeta"], action: "warn" });
    const fix = check.kind === "drift" ? check.fix : "";
    expect(fix).toContain("columns Zeta are not declared");
    expect(fix).toContain("Count is declared long but holds number 2.5");
  });

  it("under warn, logs the fix with the columns", () => {
    const guard = new SchemaGuard(typed, "warn");
    const logger = recordingLogger();
    const check = guard.check("Custom-XdrAlertInfo", { RowId: "r", Count: "many" });
    if (check.kind !== "drift") throw new Error("expected drift");
    guard.report("Custom-XdrAlertInfo", check, logger, new CounterMetrics());
    expect(logger.warnings[0]?.fields).toMatchObject({ columns: ["Count"], fix: check.fix });
  });
});
