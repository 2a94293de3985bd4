import { describe, expect, it } from "vitest";
import { QueryWindow, windowId, windowLane } from "./query-window.ts";
import { issuePaths } from "./schema-issues.ts";

const valid = {
  version: 1,
  tenant: "contoso",
  query: "alert-info",
  start: "2026-11-26T04:45:00.000Z",
  end: "2026-11-26T04:50:00.000Z",
  attempt: 0,
  depth: 0,
  origin: "schedule",
};

describe("QueryWindow", () => {
  it("accepts a window and defaults its sweep to the first pass", () => {
    expect(QueryWindow.parse(valid)).toEqual({ ...valid, sweep: 0 });
  });

  it.each([
    ["a body from a future version", { version: 2 }, "version"],
    ["an empty tenant", { tenant: "" }, "tenant"],
    ["a start without milliseconds", { start: "2026-11-26T04:45:00Z" }, "start"],
    ["a start with an offset", { start: "2026-11-26T05:45:00.000+01:00" }, "start"],
    ["an end that is not a date", { end: "soon" }, "end"],
    ["an empty range (start = end)", { end: valid.start }, "end"],
    ["a reversed range", { start: valid.end, end: valid.start }, "end"],
    ["a negative attempt", { attempt: -1 }, "attempt"],
    ["a fractional depth", { depth: 0.5 }, "depth"],
    ["an unknown origin", { origin: "manual" }, "origin"],
    ["a negative sweep", { sweep: -1 }, "sweep"],
    ["an unknown field", { priority: 1 }, ""],
  ])("refuses %s", (_, change, path) => {
    expect(issuePaths(QueryWindow, { ...valid, ...change })).toEqual([path]);
  });

  it("refuses what is not a window at all", () => {
    expect.soft(QueryWindow.safeParse("window").success).toBe(false);
    expect.soft(QueryWindow.safeParse(null).success).toBe(false);
  });

  it("identifies a window by tenant, query and range only", () => {
    const id = windowId(valid);
    expect(id).toBe("contoso|alert-info|2026-11-26T04:45:00.000Z|2026-11-26T04:50:00.000Z");
    expect(windowId({ ...valid, attempt: 3, origin: "replay" } as typeof valid)).toBe(id);
  });
});

describe("windowLane", () => {
  it.each([
    ["backfill", "backfill"],
    ["schedule", "live"],
    ["resweep", "live"],
    ["split", "live"],
    ["replay", "live"],
  ])("puts a %s window in the %s lane", (origin, lane) => {
    expect(windowLane({ origin })).toBe(lane);
  });

  it("puts a body that is not a window in the live lane, where the fetcher dead-letters it", () => {
    expect([windowLane(null), windowLane("x"), windowLane({})]).toEqual(["live", "live", "live"]);
  });
});
