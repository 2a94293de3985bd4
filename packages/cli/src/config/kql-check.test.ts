import { builtInQueries } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { kqlSyntaxErrors, querySyntaxProblems } from "./kql-check.ts";

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

describe("querySyntaxProblems", () => {
  it("refuses a query that parses alone but not with the window's filter after it, as each call sends it", () => {
    const problems = querySyntaxProblems({ mine: { kql: "AlertInfo | project Timestamp, AlertId;" } });
    expect(problems).toEqual([expect.stringMatching(/^ {2}- queries\.mine\.kql: valid alone, but not followed by the window's/)]);
  });

  it("passes a query that takes the filter", () => {
    expect(querySyntaxProblems({ mine: { kql: "let t = AlertInfo;\nt | project Timestamp, AlertId" } })).toEqual([]);
  });
});
