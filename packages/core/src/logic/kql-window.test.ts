import { describe, expect, it } from "vitest";
import { parseWindowFilter, windowedQuery, windowFilter, windowTimespan } from "./kql-window.ts";

const range = { startMs: Date.parse("2026-11-26T04:45:00.000Z"), endMs: Date.parse("2026-11-26T04:50:00.000Z") };

describe("window filter", () => {
  it("is half-open: includes the start, excludes the end", () => {
    expect(windowFilter(range)).toBe(
      "| where Timestamp >= datetime(2026-11-26T04:45:00.000Z) and Timestamp < datetime(2026-11-26T04:50:00.000Z)",
    );
  });

  it("is appended to the user's query on its own line", () => {
    expect(windowedQuery("  AlertInfo\n| project Timestamp, AlertId  \n", range)).toBe(
      `AlertInfo\n| project Timestamp, AlertId\n${windowFilter(range)}`,
    );
  });

  it("is covered by the request's Timespan", () => {
    expect(windowTimespan(range)).toBe("2026-11-26T04:45:00.000Z/2026-11-26T04:50:00.000Z");
  });

  it.each([
    ["a grid window", range],
    ["a split half with odd milliseconds", { startMs: range.startMs + 1, endMs: range.startMs + 150_001 }],
    ["a range before 1970", { startMs: -86_400_000, endMs: -1 }],
  ])("reads back exactly from the query (%s)", (_, r) => {
    expect(parseWindowFilter(windowedQuery("AlertInfo", r))).toEqual(r);
  });

  it.each([
    [
      "case and spacing",
      "alertinfo | WHERE timestamp>=datetime( 2026-11-26T04:45:00Z )  and  timestamp<datetime(2026-11-26T04:50:00Z)",
      range,
    ],
    ["no filter", "AlertInfo | take 10", undefined],
    ["only one edge", "AlertInfo | where Timestamp >= datetime(2026-11-26T04:45:00Z)", undefined],
    [
      "an unreadable date",
      "AlertInfo | where Timestamp >= datetime(yesterday) and Timestamp < datetime(2026-11-26T04:50:00Z)",
      undefined,
    ],
  ])("parses a query with %s", (_, kql, expected) => {
    expect(parseWindowFilter(kql)).toEqual(expected);
  });
});

describe("parseWindowFilter in a machine not on UTC", () => {
  it("reads datetime() without a zone as UTC, as KQL does, whatever the machine's zone", () => {
    const zone = process.env["TZ"];
    process.env["TZ"] = "America/New_York"; // Node applies a changed TZ to later Date calls
    try {
      const kql = "AlertInfo | where Timestamp >= datetime(2026-02-28T18:00:00) and Timestamp < datetime(2026-02-28T18:05:00)";
      expect(parseWindowFilter(kql)).toEqual({ startMs: Date.UTC(2026, 1, 28, 18), endMs: Date.UTC(2026, 1, 28, 18, 5) });
    } finally {
      if (zone === undefined) delete process.env["TZ"];
      else process.env["TZ"] = zone;
    }
  });
});
