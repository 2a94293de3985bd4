import { describe, expect, it } from "vitest";
import { admitCall, pruneCalls } from "./call-budget.ts";
import { TenantCallBudget } from "./tenant-call-budget.ts";

const limits = { callsPerMinute: 3, callsPerHour: 5 };
const s = 1_000;
const min = 60 * s;

describe("admitCall", () => {
  it.each([
    ["no calls yet", [], 0, { admitted: true }],
    ["a minute one call short of full", [0, 10 * s], 20 * s, { admitted: true }],
    [
      "a full minute: wait until its oldest call is a minute old",
      [0, 10 * s, 20 * s],
      30 * s,
      { admitted: false, waitMs: 30 * s },
    ],
    ["the oldest call leaving the minute exactly now", [0, 10 * s, 20 * s], min, { admitted: true }],
    ["a millisecond before it leaves", [0, 10 * s, 20 * s], min - 1, { admitted: false, waitMs: 1 }],
    [
      "a full hour: wait for its oldest call, whatever the minute says",
      [0, 1, 2, 3 * min, 4 * min],
      10 * min,
      { admitted: false, waitMs: 50 * min },
    ],
    [
      "a full hour and a full minute: the longer wait wins",
      [0, 1, 2, 10 * min, 10 * min + 1],
      10 * min + 2,
      { admitted: false, waitMs: 60 * min - 10 * min - 2 },
    ],
    ["the hour's oldest call gone", [0, 1, 2, 3 * min, 4 * min], 60 * min, { admitted: true }],
  ])("%s", (_, calls, now, expected) => {
    expect(admitCall(calls, now, limits)).toEqual(expected);
  });

  it("forgets calls older than an hour", () => {
    expect(pruneCalls([0, 1, 30 * min], 60 * min)).toEqual([1, 30 * min]);
  });
});

describe("TenantCallBudget", () => {
  it("books admitted calls only, and keeps each tenant's budget apart", () => {
    let now = 0;
    const budget = new TenantCallBudget(
      () => limits,
      () => now,
    );
    const takes = (tenant: string, n: number) => Array.from({ length: n }, () => budget.tryAcquire(tenant));
    expect(takes("contoso", 4).map((a) => a.admitted)).toEqual([true, true, true, false]);
    expect(budget.tryAcquire("fabrikam")).toEqual({ admitted: true });
    now = 30 * s;
    // Refused calls were not booked: the wait still runs from the first call.
    expect(budget.tryAcquire("contoso")).toEqual({ admitted: false, waitMs: 30 * s });
    now = min;
    expect(takes("contoso", 3).map((a) => a.admitted)).toEqual([true, true, false]);
    // Five calls in the hour: the next one waits for the first to be an hour old.
    expect(budget.tryAcquire("contoso")).toEqual({ admitted: false, waitMs: 59 * min });
  });

  it("holds each tenant to its own limits: one at 1/min is deferred while another at 100/min goes through", () => {
    let now = 0;
    const own: Record<string, { callsPerMinute: number; callsPerHour: number }> = {
      slow: { callsPerMinute: 1, callsPerHour: 100 },
      fast: { callsPerMinute: 100, callsPerHour: 1_000 },
    };
    const budget = new TenantCallBudget(
      (tenant) => own[tenant] ?? limits,
      () => now,
    );
    const takes = (tenant: string, n: number) => Array.from({ length: n }, () => budget.tryAcquire(tenant).admitted);
    expect(budget.tryAcquire("slow")).toEqual({ admitted: true });
    now = 10 * s;
    expect(budget.tryAcquire("slow")).toEqual({ admitted: false, waitMs: 50 * s });
    expect(takes("fast", 100).every(Boolean)).toBe(true);
    expect(budget.tryAcquire("fast")).toEqual({ admitted: false, waitMs: min });
    // A tenant with no limits of its own gets the default's 3 a minute.
    expect(takes("other", 4)).toEqual([true, true, true, false]);
  });
});
