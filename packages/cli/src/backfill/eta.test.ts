import { describe, expect, it } from "vitest";
import { Eta } from "./eta.ts";

const budgetOf = () => ({ callsPerMinute: 30, callsPerHour: 100_000 });
const pending = (n: number) => new Map([["contoso", n]]);

describe("Eta", () => {
  it("before anything is done, says what the budget allows at best", () => {
    expect(new Eta().estimate({ atMs: 0, done: 0, pendingByTenant: pending(61), budgetOf })).toEqual({
      ms: 120_000,
      basis: "budget",
    });
  });

  it("follows the rate windows are done at", () => {
    const eta = new Eta();
    eta.estimate({ atMs: 0, done: 0, pendingByTenant: pending(100), budgetOf });
    // 10 windows a minute lately, 90 left: 9 minutes (the budget alone would allow 3).
    expect(eta.estimate({ atMs: 60_000, done: 10, pendingByTenant: pending(90), budgetOf })).toEqual({
      ms: 540_000,
      basis: "rate",
    });
  });

  it("does not promise faster than the budget after a first burst", () => {
    const eta = new Eta();
    eta.estimate({ atMs: 0, done: 0, pendingByTenant: pending(48), budgetOf });
    // 30 done in 2 s (the first minute's allowance): the 18 left still need the next minute.
    expect(eta.estimate({ atMs: 2_000, done: 30, pendingByTenant: pending(18), budgetOf }).basis).toBe("budget");
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
    expect(new Eta().estimate({ atMs: 0, done: 0, pendingByTenant, budgetOf: (t) => own[t] ?? budgetOf() })).toEqual({
      ms: 600_000,
      basis: "budget",
    });
  });
});
