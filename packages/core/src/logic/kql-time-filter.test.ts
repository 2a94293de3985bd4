import { describe, expect, it } from "vitest";
import { builtInQueries } from "../contracts/queries.ts";
import { findOwnTimeFilter, ownTimeFilterMessage } from "./kql-time-filter.ts";

describe("findOwnTimeFilter", () => {
  it.each([
    ["AlertInfo | where Timestamp > ago(1d)", "Timestamp >", 1, 19],
    ["AlertInfo\n| where Timestamp between (datetime(2026-01-01) .. 1d)", "Timestamp between", 2, 9],
    ["AlertInfo | where Timestamp>=datetime(2026-01-01)", "Timestamp>=", 1, 19],
    ["AlertInfo | where Timestamp <= now()", "Timestamp <=", 1, 19],
    ["AlertInfo | where Timestamp !between (a .. b)", "Timestamp !between", 1, 19],
    ["AlertInfo | where Timestamp in (x)", "Timestamp in", 1, 19],
    ["AlertInfo\n| where  ago (7d) < Timestamp", "ago (", 2, 10],
    ["AlertInfo | where x > startofday(now())", "startofday(", 1, 23],
    ["AlertInfo | extend Today = endofweek(now())", "endofweek(", 1, 28],
  ])("refuses %j", (kql, found, line, column) => {
    expect(findOwnTimeFilter(kql)).toEqual({ found, line, column });
  });

  it.each([
    ["every built-in query", ...Object.values(builtInQueries).map((q) => q.kql)],
    ["text in double quotes", 'AlertInfo | where Title == "Timestamp > ago(1d)"'],
    ["text in single quotes", "AlertInfo | where Title has 'now()'"],
    ["a verbatim string", 'AlertInfo | where FolderPath startswith @"C:\\ago("'],
    ["a comment", "AlertInfo // no ago(1d) here: windows own time\n| project Timestamp, Title"],
    ["a column that only starts with Timestamp", "AlertInfo | where TimestampUtc > 3"],
    ["a function whose name ends in ago", "AlertInfo | extend x = chicago(1)"],
    ["projecting the time column", "AlertInfo | project Timestamp, AlertId | sort by Timestamp asc"],
  ])("accepts %s", (_, ...queries) => {
    for (const kql of queries) expect(findOwnTimeFilter(kql)).toBeUndefined();
  });

  it("explains that windows own time", () => {
    const message = ownTimeFilterMessage({ found: "ago(", line: 2, column: 9 });
    expect(message).toMatch(/^line 2, column 9: .*\("ago\("\); remove it\./);
    expect(message).toContain("Timestamp >= datetime(start) and Timestamp < datetime(end)");
  });
});
