import { describe, expect, it } from "vitest";
import { callsPerDay, estimateBackfill, timeAtBudget } from "./backfill-estimate.ts";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const defaults = { callsPerMinute: 45, callsPerHour: 1_500 };

describe("timeAtBudget", () => {
  it.each([
    ["no calls", 0, defaults, 0],
    ["one call", 1, defaults, 0],
    ["a minute's worth", 46, defaults, minute],
    ["an hour's allowance, spent at 45 a minute", 1_501, defaults, hour],
    ["two hours' allowance and a minute more", 3_046, defaults, 2 * hour + minute],
    ["a minute limit tighter than the hour's", 601, { callsPerMinute: 10, callsPerHour: 1_000 }, hour],
  ])("%s", (_, calls, budget, ms) => {
    expect(timeAtBudget(calls, budget)).toBe(ms);
  });
});

describe("estimateBackfill", () => {
  const tenants = [
    { id: "contoso", queries: ["alert-info", "alert-evidence"] },
    { id: "fabrikam", queries: ["alert-info"] },
  ];

  it("counts a call per grid window and query, and times the slowest tenant, tenants in parallel", () => {
    const e = estimateBackfill({ tenants, fromMs: 0, toMs: 10 * hour, windowMs: 5 * minute, budgetOf: () => defaults });
    expect(e.tenants.map((t) => [t.tenant, t.windowsByQuery.map((q) => q.windows), t.minCalls])).toEqual([
      ["contoso", [120, 120], 240],
      ["fabrikam", [120], 120],
    ]);
    expect([e.windows, e.minCalls]).toEqual([360, 360]);
    expect(e.durationMs).toBe(timeAtBudget(240, defaults));
    expect(e.overADay).toEqual([]);
  });

  it("counts a range off the grid as the whole windows that cover it", () => {
    const e = estimateBackfill({
      tenants,
      fromMs: 2 * minute,
      toMs: 11 * minute,
      windowMs: 5 * minute,
      budgetOf: () => defaults,
    });
    expect(e.tenants[0]?.windowsByQuery[0]?.windows).toBe(3);
  });

  it("names the tenants whose backfill needs more than a day of their budget", () => {
    // 30 days of 1-minute windows, two queries: 86,400 calls against 36,000 a day.
    const e = estimateBackfill({ tenants, fromMs: 0, toMs: 30 * day, windowMs: minute, budgetOf: () => defaults });
    expect(e.tenants.map((t) => t.callsPerDay)).toEqual([36_000, 36_000]);
    expect(e.overADay).toEqual(["contoso", "fabrikam"]);
    expect(e.durationMs).toBeGreaterThan(2 * day);
  });

  it("counts the re-sweeps the range's recent windows get, apart from the backfill's own calls", () => {
    // 10 h of 5-minute windows ending now; lag 10 min, +1 h and +24 h: 14 windows get both passes, the rest +24 h.
    const resweeps = { schedule: { lagMs: 10 * minute, offsetsMs: [hour, day] }, nowMs: 10 * hour };
    const e = estimateBackfill({ tenants, fromMs: 0, toMs: 10 * hour, windowMs: 5 * minute, budgetOf: () => defaults, resweeps });
    expect(e.tenants.map((t) => [t.tenant, t.resweeps, t.minCalls])).toEqual([
      ["contoso", 2 * (14 + 120), 240],
      ["fabrikam", 14 + 120, 120],
    ]);
    expect(e.resweeps).toBe(3 * 134);
    expect(e.lastResweepDueMs).toBe(10 * hour + 10 * minute + day);
    expect(estimateBackfill({ tenants, fromMs: 0, toMs: hour, windowMs: 5 * minute, budgetOf: () => defaults })).toMatchObject({
      resweeps: 0,
      lastResweepDueMs: undefined,
    });
  });

  it("times each tenant at its own budget, and warns per tenant", () => {
    // 10 days of 5-minute windows: 2,880 windows a query; contoso 5,760 calls, fabrikam 2,880.
    const own: Record<string, { callsPerMinute: number; callsPerHour: number }> = {
      contoso: { callsPerMinute: 100, callsPerHour: 6_000 },
      fabrikam: { callsPerMinute: 1, callsPerHour: 60 },
    };
    const e = estimateBackfill({
      tenants,
      fromMs: 0,
      toMs: 10 * day,
      windowMs: 5 * minute,
      budgetOf: (tenant) => own[tenant] ?? defaults,
    });
    expect(e.tenants.map((t) => [t.tenant, t.budget, t.durationMs, t.callsPerDay])).toEqual([
      ["contoso", own["contoso"], timeAtBudget(5_760, { callsPerMinute: 100, callsPerHour: 6_000 }), 144_000],
      ["fabrikam", own["fabrikam"], 2_879 * minute, 1_440],
    ]);
    // The tenant with fewer calls but the smaller budget sets the time, and alone needs over a day.
    expect(e.durationMs).toBe(2_879 * minute);
    expect(e.overADay).toEqual(["fabrikam"]);
  });
});

describe("callsPerDay", () => {
  it.each([
    ["the minute binds", { callsPerMinute: 45, callsPerHour: 6_000 }, 64_800],
    ["the hour binds", defaults, 36_000],
  ])("%s", (_, budget, calls) => {
    expect(callsPerDay(budget)).toBe(calls);
  });
});
