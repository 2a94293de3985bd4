import { backfillCallBudget, type WindowLane } from "@xdr-relay/core";
import { type Admission, admitCall, type CallLimits, pruneCalls } from "./call-budget.ts";

/**
 * The call budget of every tenant this process fetches for: one ledger per tenant, each held to
 * that tenant's own limits, so one tenant's busy hour never delays another tenant. Shared by all windows a process handles at once; the check
 * and the booking happen in one synchronous step, so concurrent windows cannot both take the last slot.
 *
 * It counts only this process's calls: the service's 429 stays the backstop when several fetchers
 * share a tenant's quota.
 */
export class TenantCallBudget {
  private readonly ledgers = new Map<string, number[]>();
  /** Per tenant and lane, the latest moment a refused window was told to come back. */
  private readonly comebacks = new Map<string, number>();

  /** `limitsFor` says each tenant's limits (a tenant may have its own); it is asked at every call. */
  constructor(
    private readonly limitsFor: (tenant: string) => CallLimits,
    private readonly now: () => number,
  ) {}

  /**
   * Books a call for `tenant` now if it fits its own limits; otherwise says how long to wait. Windows
   * refused together are told to come back one call interval (a minute / callsPerMinute) apart,
   * not all at the moment the first slot frees, when only one of them would get through and the
   * rest would go back to the queue again. Each lane keeps its own comeback times: live windows
   * are not lined up behind a backfill's.
   *
   * Both lanes book into one ledger, but a backfill window must fit under the smaller
   * `backfillCallBudget`: the rest of the budget is always there for live windows.
   */
  tryAcquire(tenant: string, lane: WindowLane): Admission {
    const nowMs = this.now();
    const whole = this.limitsFor(tenant);
    const limits = lane === "backfill" ? backfillCallBudget(whole) : whole;
    const calls = pruneCalls(this.ledgers.get(tenant) ?? [], nowMs);
    const admission = admitCall(calls, nowMs, limits);
    this.ledgers.set(tenant, calls);
    if (admission.admitted) {
      calls.push(nowMs);
      return admission;
    }
    const intervalMs = Math.ceil(60_000 / limits.callsPerMinute);
    const key = `${lane}|${tenant}`;
    const latest = this.comebacks.get(key) ?? Number.NEGATIVE_INFINITY;
    const comeback = Math.max(nowMs + admission.waitMs, latest + intervalMs);
    this.comebacks.set(key, comeback);
    return { admitted: false, waitMs: comeback - nowMs };
  }
}
