import { type CallBudget, gridWindows } from "@xdr-relay/core";
import { plannedResweeps, type ResweepSchedule } from "./backfill-resweeps.ts";

const minute = 60_000;
const hour = 60 * minute;

export interface TenantEstimate {
  readonly tenant: string;
  readonly windowsByQuery: readonly { readonly query: string; readonly windows: number }[];
  /** One hunting call per window at least; a split window costs two more, a throttled call another. */
  readonly minCalls: number;
  /** The tenant's own per-process budget (`callBudgetFor`). */
  readonly budget: CallBudget;
  /** How long `minCalls` take at the tenant's budget, at best. */
  readonly durationMs: number;
  /** Calls the tenant's budget admits in 24 h. */
  readonly callsPerDay: number;
  /** Re-sweeps scheduled for the range's recent windows: a call each, when due (not in `minCalls`). */
  readonly resweeps: number;
}

export interface BackfillEstimate {
  readonly tenants: readonly TenantEstimate[];
  readonly windows: number;
  readonly minCalls: number;
  /** Tenants run in parallel, each on its own budget: the slowest tenant sets the time. */
  readonly durationMs: number;
  /** Tenants whose backfill alone needs more than a day of their own budget. */
  readonly overADay: readonly string[];
  /** Re-sweeps scheduled in all, and when the last is due (undefined when none). */
  readonly resweeps: number;
  readonly lastResweepDueMs: number | undefined;
}

/**
 * The least a backfill costs: one call per grid window and query, and the time those calls take
 * at each tenant's own budget. What it cannot know in advance (windows too big for one result are
 * split, throttling repeats calls, the scheduler's own windows share the budget) only adds to it.
 */
export function estimateBackfill(args: {
  tenants: readonly { readonly id: string; readonly queries: readonly string[] }[];
  fromMs: number;
  toMs: number;
  windowMs: number;
  /** Each tenant's budget: `callBudgetFor(config, tenant)`. */
  budgetOf: (tenant: string) => CallBudget;
  /** The scheduler's re-sweeps and the moment the backfill runs; absent: none. */
  resweeps?: { readonly schedule: ResweepSchedule; readonly nowMs: number } | undefined;
}): BackfillEstimate {
  const ranges = gridWindows(args.fromMs, args.toMs, args.windowMs);
  const perQuery = ranges.length;
  const planned = args.resweeps ? plannedResweeps(ranges, args.resweeps.schedule, args.resweeps.nowMs) : [];
  const tenants = args.tenants.map((t): TenantEstimate => {
    const minCalls = perQuery * t.queries.length;
    const budget = args.budgetOf(t.id);
    return {
      tenant: t.id,
      windowsByQuery: t.queries.map((query) => ({ query, windows: perQuery })),
      minCalls,
      budget,
      durationMs: timeAtBudget(minCalls, budget),
      callsPerDay: callsPerDay(budget),
      resweeps: planned.length * t.queries.length,
    };
  });
  return {
    tenants,
    windows: tenants.reduce((n, t) => n + t.minCalls, 0),
    minCalls: tenants.reduce((n, t) => n + t.minCalls, 0),
    durationMs: Math.max(0, ...tenants.map((t) => t.durationMs)),
    overADay: tenants.filter((t) => t.minCalls > t.callsPerDay).map((t) => t.tenant),
    resweeps: tenants.reduce((n, t) => n + t.resweeps, 0),
    lastResweepDueMs: planned.length > 0 ? Math.max(...planned.map((p) => p.dueMs)) : undefined,
  };
}

/** Calls a budget admits in 24 h: the tighter of its minute and its hour limit. */
export function callsPerDay(budget: CallBudget): number {
  return Math.min(budget.callsPerMinute * 24 * 60, budget.callsPerHour * 24);
}

/**
 * How long `calls` take under a sliding per-minute and per-hour limit, spending as fast as allowed:
 * `callsPerMinute` a minute until the hour's allowance is used, then waiting for the hour to roll.
 * The time until the last call starts; the calls' own duration is not counted.
 */
export function timeAtBudget(calls: number, budget: CallBudget): number {
  if (calls <= 0) return 0;
  const { callsPerMinute: perMinute, callsPerHour: perHour } = budget;
  // The minute limit alone is the tighter one: the hour limit never binds.
  if (perMinute * 60 <= perHour) return Math.ceil(((calls - 1) / perMinute) * minute);
  const fullHours = Math.floor((calls - 1) / perHour);
  const rest = calls - fullHours * perHour;
  return fullHours * hour + Math.ceil(((rest - 1) / perMinute) * minute);
}
