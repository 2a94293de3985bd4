import { builtInQueries } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { kqlSyntaxErrors } from "./kql-check.ts";

describe("kqlSyntaxErrors", () => {
  it.each(Object.entries(builtInQueries))("finds none in the built-in query %s", (_, query) => {
    expect(kqlSyntaxErrors(query.kql)).toEqual([]);
  });

  it.each([
    ["DeviceEvents | where ActionType == 'x' | summarize count() by DeviceName"],
    ['AlertEvidence\n| where EntityType in ("File", "Process")\n| extend Hash = coalesce(SHA256, SHA1)'],
  ])("finds none in %j", (kql) => {
    expect(kqlSyntaxErrors(kql)).toEqual([]);
  });

  it.each([
    ['AlertInfo | where Category in ("A", "B"', { line: 1, column: 40, message: "Expected: )" }],
    ["AlertInfo\n| wher Severity == 'High'", { line: 2, column: 3, message: "Query operator expected." }],
    ['AlertInfo | where Title == "unclosed', { line: 1, column: 37, message: 'Missing: "' }],
  ])("reports where %j goes wrong", (kql, first) => {
    expect(kqlSyntaxErrors(kql)[0]).toMatchObject(first);
  });
});
