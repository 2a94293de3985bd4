import { describe, expect, it } from "vitest";
import { QueryDefinition } from "../contracts/queries.ts";
import { droppedTimestampAt, pipeStages } from "./kql-stages.ts";

describe("pipeStages", () => {
  it("cuts at each | outside string literals", () => {
    expect(pipeStages('T | where a == "x|y" | project a')).toEqual(["T ", ' where a == "x|y" ', " project a"]);
  });
});

describe("droppedTimestampAt", () => {
  it.each([
    ["AlertInfo\n| project AlertId, Severity", { line: 2, column: 3 }],
    ["AlertInfo | project AlertId, T = Timestamp", { line: 1, column: 13 }],
    ["AlertInfo | project-away Timestamp", { line: 1, column: 13 }],
    ["AlertInfo | summarize count() by AlertId", { line: 1, column: 13 }],
    ["AlertInfo | project Timestamp, AlertId | project AlertId", { line: 1, column: 42 }],
  ])("finds where %j drops it", (kql, at) => {
    expect(droppedTimestampAt(kql)).toEqual(at);
  });

  it.each([
    "AlertInfo",
    "AlertInfo | where Severity == 'High' | project Timestamp, AlertId",
    "AlertInfo | project Timestamp = TimeGenerated, AlertId",
    "AlertInfo | project AlertId | extend Timestamp = now()",
    "AlertInfo | summarize arg_max(Timestamp, *) by AlertId",
    "AlertInfo | summarize count() by bin(Timestamp, 1h)",
    "AlertInfo | project tostring(AlertId), Timestamp",
    "AlertInfo | project strcat(AlertId, 'x')",
    'AlertInfo | where Title has "project AlertId" | project Timestamp, Title',
    "AlertInfo | project Timestamp, AlertId // | project AlertId",
    "AlertInfo\n// | project AlertId\n| where Title has '| project AlertId'",
  ])("keeps it in %j (or cannot tell, and does not refuse)", (kql) => {
    expect(droppedTimestampAt(kql)).toBeUndefined();
  });

  it("makes a configured query that drops it a configuration error, naming where", () => {
    const parsed = QueryDefinition.safeParse({ kql: "AlertInfo\n| project AlertId, Severity", stream: "Custom-X" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^line 2, column 3: the query drops the Timestamp column; keep it\./);
  });
});
