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
    done: number;
    pendingByTenant: ReadonlyMap<string, number>;
    budgetOf: (tenant: string) => CallBudget;
  }): {
    ms: number;
    /** `budget`: the lower bound is all that is known ("at least"). */
    basis: "rate" | "budget";
  } {
    this.samples.push({ atMs: args.atMs, done: args.done });
    while (this.samples.length > 2 && (this.samples[0]?.atMs ?? 0) < args.atMs - spanMs) this.samples.shift();
    const atBest = Math.max(0, ...[...args.pendingByTenant].map(([tenant, n]) => timeAtBudget(n, args.budgetOf(tenant))));
    const first = this.samples[0];
    if (!first || args.done <= first.done || args.atMs <= first.atMs) return { ms: atBest, basis: "budget" };
    const perMs = (args.done - first.done) / (args.atMs - first.atMs);
    const pending = [...args.pendingByTenant.values()].reduce((a, b) => a + b, 0);
    const byRate = pending / perMs;
    return byRate >= atBest ? { ms: byRate, basis: "rate" } : { ms: atBest, basis: "budget" };
  }
}
