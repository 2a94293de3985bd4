import { describe, expect, it } from "vitest";
import { Eta } from "./eta.ts";

const budgetOf = () => ({ callsPerMinute: 30, callsPerHour: 100_000 });
const pending = (n: number) => new Map([["contoso", n]]);
/** Nothing said of windows done: the budget bounds only the windows left. */
const fresh = { startedAtMs: 0, doneByTenant: new Map<string, number>() };

describe("Eta", () => {
  it("before anything is done, says what the budget allows at best", () => {
    expect(new Eta().estimate({ ...fresh, atMs: 0, done: 0, pendingByTenant: pending(61), budgetOf })).toEqual({
      ms: 120_000,
      basis: "budget",
    });
  });

  it("follows the rate windows are done at", () => {
    const eta = new Eta();
    eta.estimate({ ...fresh, atMs: 0, done: 0, pendingByTenant: pending(100), budgetOf });
    // 10 windows a minute lately, 90 left: 9 minutes (the budget alone would allow 3).
    expect(eta.estimate({ ...fresh, atMs: 60_000, done: 10, pendingByTenant: pending(90), budgetOf })).toEqual({
      ms: 540_000,
      basis: "rate",
    });
  });

  it("does not promise faster than the budget after a first burst", () => {
    const eta = new Eta();
    eta.estimate({ ...fresh, atMs: 0, done: 0, pendingByTenant: pending(48), budgetOf });
    // 30 done in 2 s (the first minute's allowance): the 18 left still need the next minute.
    expect(eta.estimate({ ...fresh, atMs: 2_000, done: 30, pendingByTenant: pending(18), budgetOf }).basis).toBe("budget");
  });

  it("counts the minute of budget the windows done already spent: the ones left wait for the next", () => {
    const eta = new Eta();
    const budget = () => ({ callsPerMinute: 40, callsPerHour: 100_000 });
    const at = (atMs: number) =>
      eta.estimate({ atMs, startedAtMs: 0, done: 38, doneByTenant: pending(38), pendingByTenant: pending(10), budgetOf: budget });
    // 38 of 48 fetched in the first 10 s: the 10 left come after the 48 calls' 70.5 s, not 13.5 s from now.
    expect(at(10_000)).toEqual({ ms: 60_500, basis: "budget" });
    expect(at(50_000)).toEqual({ ms: 20_500, basis: "budget" });
    // Once the budget has had time to refill, what is left is bound by itself alone.
    expect(at(600_000)).toEqual({ ms: 13_500, basis: "budget" });
  });

  it("bounds the time left by each tenant's own budget, not the most pending", () => {
    const own: Record<string, { callsPerMinute: number; callsPerHour: number }> = {
      contoso: { callsPerMinute: 100, callsPerHour: 100_000 },
      fabrikam: { callsPerMinute: 1, callsPerHour: 100 },
    };
    const pendingByTenant = new Map([
      ["contoso", 301],
      ["fabrikam", 11],
    ]);
    // contoso: 301 calls at 100/min, 3 minutes; fabrikam: 11 at 1/min, 10 minutes.
    expect(new Eta().estimate({ ...fresh, atMs: 0, done: 0, pendingByTenant, budgetOf: (t) => own[t] ?? budgetOf() })).toEqual({
      ms: 600_000,
      basis: "budget",
    });
  });
});
