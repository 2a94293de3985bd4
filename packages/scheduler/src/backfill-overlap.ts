import type { BackfillRun } from "./backfill-runs.ts";

/** An earlier run that already asked for some of a new backfill's windows, and for how many. */
export interface RunOverlap {
  readonly run: BackfillRun;
  /** The new backfill's windows (tenant, query and grid window) that fall in the earlier run's range and queries. */
  readonly windows: number;
}

type RunShape = Pick<BackfillRun, "id" | "fromMs" | "toMs" | "windowMs" | "tenants">;

/**
 * The recorded runs, other than `like` itself, that share windows with it: the same tenant and
 * query over an overlapping time range. Their window ids are their own, so duplicate detection
 * does not fold the two: asked for again, every shared window costs its hunting call again (the
 * rows themselves are dropped as duplicates). A run whose enqueue stopped before sending anything
 * asked for nothing, and one cancelled is taken as not wanted. For one that stopped part-way the
 * count is an upper bound. Oldest first.
 */
export function overlappingRuns(runs: readonly BackfillRun[], like: RunShape): RunOverlap[] {
  const overlaps: RunOverlap[] = [];
  for (const run of runs) {
    const sentNothing = run.enqueue !== undefined && !run.enqueue.complete && run.enqueue.sent === 0;
    if (run.id === like.id || sentNothing || run.cancelledAtMs !== undefined) continue;
    const overlapMs = Math.min(run.toMs, like.toMs) - Math.max(run.fromMs, like.fromMs);
    if (overlapMs <= 0) continue;
    const pairs = like.tenants.reduce((n, t) => {
      const theirs = run.tenants.find((r) => r.id === t.id)?.queries ?? [];
      return n + t.queries.filter((q) => theirs.includes(q)).length;
    }, 0);
    if (pairs > 0) overlaps.push({ run, windows: pairs * Math.ceil(overlapMs / like.windowMs) });
  }
  return overlaps;
}
