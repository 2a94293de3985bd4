import { describe, expect, it } from "vitest";
import { Eta } from "./eta.ts";

const budget = { callsPerMinute: 30, callsPerHour: 100_000 };
const pending = (n: number) => new Map([["contoso", n]]);

describe("Eta", () => {
  it("before anything is done, says what the budget allows at best", () => {
    expect(new Eta().estimate({ atMs: 0, done: 0, pendingByTenant: pending(61), budget })).toEqual({
      ms: 120_000,
      basis: "budget",
    });
  });

  it("follows the rate windows are done at", () => {
    const eta = new Eta();
    eta.estimate({ atMs: 0, done: 0, pendingByTenant: pending(100), budget });
    // 10 windows a minute lately, 90 left: 9 minutes (the budget alone would allow 3).
    expect(eta.estimate({ atMs: 60_000, done: 10, pendingByTenant: pending(90), budget })).toEqual({
      ms: 540_000,
      basis: "rate",
    });
  });

  it("does not promise faster than the budget after a first burst", () => {
    const eta = new Eta();
    eta.estimate({ atMs: 0, done: 0, pendingByTenant: pending(48), budget });
    // 30 done in 2 s (the first minute's allowance): the 18 left still need the next minute.
    expect(eta.estimate({ atMs: 2_000, done: 30, pendingByTenant: pending(18), budget }).basis).toBe("budget");
  });
});
