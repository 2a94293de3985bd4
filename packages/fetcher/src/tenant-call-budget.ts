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

  /** `limitsFor` says each tenant's limits (a tenant may have its own); it is asked at every call. */
  constructor(
    private readonly limitsFor: (tenant: string) => CallLimits,
    private readonly now: () => number,
  ) {}

  /** Books a call for `tenant` now if it fits its own limits; otherwise says how long until a slot frees. */
  tryAcquire(tenant: string): Admission {
    const nowMs = this.now();
    const calls = pruneCalls(this.ledgers.get(tenant) ?? [], nowMs);
    const admission = admitCall(calls, nowMs, this.limitsFor(tenant));
    if (admission.admitted) calls.push(nowMs);
    this.ledgers.set(tenant, calls);
    return admission;
  }
}
