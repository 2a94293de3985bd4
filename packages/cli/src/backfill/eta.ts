import type { CallBudget } from "@xdr-relay/core";
import { timeAtBudget } from "@xdr-relay/scheduler";

/** How far back the rate is measured: long enough to smooth bursts, short enough to follow throttling. */
const spanMs = 10 * 60_000;

/**
 * Time left: from the rate windows were done at lately, but never less than the call budget
 * allows for the slowest tenant's pending windows (one call each, at that tenant's own budget). The budget's bound matters at
 * the start, when the first minute's burst would otherwise promise the whole backfill in seconds.
 */
export class Eta {
  private readonly samples: { atMs: number; done: number }[] = [];

  estimate(args: {
    atMs: number;
    /** The run's start: the calls of the windows done since then spent the budget the rest wait for. */
    startedAtMs: number;
    done: number;
    doneByTenant: ReadonlyMap<string, number>;
    pendingByTenant: ReadonlyMap<string, number>;
    budgetOf: (tenant: string) => CallBudget;
  }): {
    ms: number;
    /** `budget`: the lower bound is all that is known ("at least"). */
    basis: "rate" | "budget";
  } {
    this.samples.push({ atMs: args.atMs, done: args.done });
    while (this.samples.length > 2 && (this.samples[0]?.atMs ?? 0) < args.atMs - spanMs) this.samples.shift();
    const atBest = Math.max(0, ...[...args.pendingByTenant].map(([tenant, n]) => budgetBound(args, tenant, n)));
    const first = this.samples[0];
    if (!first || args.done <= first.done || args.atMs <= first.atMs) return { ms: atBest, basis: "budget" };
    const perMs = (args.done - first.done) / (args.atMs - first.atMs);
    const pending = [...args.pendingByTenant.values()].reduce((a, b) => a + b, 0);
    const byRate = pending / perMs;
    return byRate >= atBest ? { ms: byRate, basis: "rate" } : { ms: atBest, basis: "budget" };
  }
}

/**
 * The least time a tenant's `pending` windows need. Counted from now alone, it would ignore that
 * the windows done may have spent this minute's (or hour's) calls, and promise seconds through the
 * whole minute the rest wait out. The done windows' calls came after the run's start, so the last
 * call comes no sooner than the start plus what the budget needs for done and pending together.
 */
function budgetBound(
  args: { atMs: number; startedAtMs: number; doneByTenant: ReadonlyMap<string, number>; budgetOf: (t: string) => CallBudget },
  tenant: string,
  pending: number,
): number {
  const budget = args.budgetOf(tenant);
  const sinceStart = timeAtBudget((args.doneByTenant.get(tenant) ?? 0) + pending, budget);
  return Math.max(timeAtBudget(pending, budget), args.startedAtMs + sinceStart - args.atMs);
}
