import type { RelayConfig } from "./config.ts";

/** Calls one tenant may make per sliding minute and per sliding hour, in one fetcher process. */
export interface CallBudget {
  readonly callsPerMinute: number;
  readonly callsPerHour: number;
}

/** The budget of a tenant that says nothing of its own: `hunting.callsPerMinute`, `hunting.callsPerHour`. */
export function defaultCallBudget(config: Pick<RelayConfig, "hunting">): CallBudget {
  return { callsPerMinute: config.hunting.callsPerMinute, callsPerHour: config.hunting.callsPerHour };
}

/**
 * A tenant's call budget: its own `tenants[].callsPerMinute` / `callsPerHour` where set, each
 * falling back on its own to the `hunting.*` default. A tenant the config no longer names (a
 * window enqueued before it was removed, a backfill recorded under an older config) gets the default.
 * Read budgets only through here, so the fetcher, the backfill estimate and its ETA agree.
 */
export function callBudgetFor(config: Pick<RelayConfig, "hunting" | "tenants">, tenantId: string): CallBudget {
  const fallback = defaultCallBudget(config);
  const tenant = config.tenants.find((t) => t.id === tenantId);
  return {
    callsPerMinute: tenant?.callsPerMinute ?? fallback.callsPerMinute,
    callsPerHour: tenant?.callsPerHour ?? fallback.callsPerHour,
  };
}

/** Share of each tenant's budget kept for live windows while a backfill runs (at least one call). */
export const liveReserveShare = 0.1;

/**
 * What a backfill window may draw on: the tenant's budget less a reserve for live windows, a tenth
 * of each limit and at least one call (a budget of one call is left whole, or a backfill could never
 * call). Live windows are taken first, but without a reserve a backfill spends every call as it
 * frees, and the live window that comes next is sent back to wait, again and again.
 */
export function backfillCallBudget(budget: CallBudget): CallBudget {
  const share = (limit: number) => (limit <= 1 ? limit : limit - Math.max(1, Math.ceil(limit * liveReserveShare)));
  return { callsPerMinute: share(budget.callsPerMinute), callsPerHour: share(budget.callsPerHour) };
}

/** Whether two budgets allow the same calls (a report names a tenant's budget only where it differs). */
export function sameCallBudget(a: CallBudget, b: CallBudget): boolean {
  return a.callsPerMinute === b.callsPerMinute && a.callsPerHour === b.callsPerHour;
}
