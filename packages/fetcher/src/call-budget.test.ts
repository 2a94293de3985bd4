import { backfillCallBudget } from "@xdr-relay/core";
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
    const takes = (tenant: string, n: number) => Array.from({ length: n }, () => budget.tryAcquire(tenant, "live"));
    expect(takes("contoso", 4).map((a) => a.admitted)).toEqual([true, true, true, false]);
    expect(budget.tryAcquire("fabrikam", "live")).toEqual({ admitted: true });
    now = 30 * s;
    // Refused calls were not booked: a slot frees at 60 s, when the first refused window comes
    // back; this one is told to come a call interval (20 s at 3/min) after it.
    expect(budget.tryAcquire("contoso", "live")).toEqual({ admitted: false, waitMs: 50 * s });
    now = min;
    expect(takes("contoso", 3)).toEqual([{ admitted: true }, { admitted: true }, { admitted: false, waitMs: 59 * min }]);
    // Five calls in the hour: refused windows wait for the first call to be an hour old, spaced.
    expect(budget.tryAcquire("contoso", "live")).toEqual({ admitted: false, waitMs: 59 * min + 20 * s });
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
    const takes = (tenant: string, n: number) => Array.from({ length: n }, () => budget.tryAcquire(tenant, "live").admitted);
    expect(budget.tryAcquire("slow", "live")).toEqual({ admitted: true });
    now = 10 * s;
    expect(budget.tryAcquire("slow", "live")).toEqual({ admitted: false, waitMs: 50 * s });
    expect(takes("fast", 100).every(Boolean)).toBe(true);
    expect(budget.tryAcquire("fast", "live")).toEqual({ admitted: false, waitMs: min });
    // A tenant with no limits of its own gets the default's 3 a minute.
    expect(takes("other", 4)).toEqual([true, true, true, false]);
  });

  it("tells windows refused together to come back one call interval apart, not all at once", () => {
    let now = 0;
    const budget = new TenantCallBudget(
      () => ({ callsPerMinute: 4, callsPerHour: 1_000 }),
      () => now,
    );
    for (let i = 0; i < 4; i++) expect(budget.tryAcquire("contoso", "live").admitted).toBe(true);
    now = 5 * s;
    const waits = Array.from({ length: 5 }, () => budget.tryAcquire("contoso", "live")).map((a) => (a.admitted ? 0 : a.waitMs));
    // The first slot frees at 60 s; then one every 15 s (a minute / 4 calls).
    expect(waits).toEqual([55, 70, 85, 100, 115].map((t) => t * s));
    // Each comes back to a free slot: at 60 s the minute holds no call any more.
    now = 60 * s;
    expect(budget.tryAcquire("contoso", "live")).toEqual({ admitted: true });
    // Long after, a new refusal starts from the ledger again, not behind the old comebacks.
    now = 10 * min;
    for (let i = 0; i < 4; i++) budget.tryAcquire("contoso", "live");
    expect(budget.tryAcquire("contoso", "live")).toEqual({ admitted: false, waitMs: 60 * s });
  });
});

describe("live windows and a backfill on one tenant's budget", () => {
  it("keeps a tenth of each limit (at least one call) out of a backfill's reach", () => {
    expect(backfillCallBudget({ callsPerMinute: 45, callsPerHour: 1_500 })).toEqual({ callsPerMinute: 40, callsPerHour: 1_350 });
    expect(backfillCallBudget({ callsPerMinute: 5, callsPerHour: 300 })).toEqual({ callsPerMinute: 4, callsPerHour: 270 });
    // A budget of one call is left whole: a backfill held to none could never finish.
    expect(backfillCallBudget({ callsPerMinute: 1, callsPerHour: 1 })).toEqual({ callsPerMinute: 1, callsPerHour: 1 });
  });

  it("lets a live window call while a backfill has spent all it may, and lines each lane up on its own", () => {
    let now = 0;
    const budget = new TenantCallBudget(
      () => ({ callsPerMinute: 7, callsPerHour: 1_000 }),
      () => now,
    );
    // The backfill may make 6 calls a minute: its refused windows come back at 60 s and 70 s.
    const backfill = Array.from({ length: 8 }, () => budget.tryAcquire("contoso", "backfill"));
    expect(backfill.filter((a) => a.admitted)).toHaveLength(6);
    now = 20 * s;
    // A live window takes the 7th call at once, not lined up behind the backfill's comebacks.
    expect(budget.tryAcquire("contoso", "live")).toEqual({ admitted: true });
    expect(budget.tryAcquire("contoso", "live")).toEqual({ admitted: false, waitMs: 40 * s });
    expect(budget.tryAcquire("contoso", "backfill")).toEqual({ admitted: false, waitMs: 60 * s }); // at 80 s
  });
});
