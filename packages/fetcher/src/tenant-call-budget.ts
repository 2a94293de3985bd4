import { type Admission, admitCall, type CallLimits, pruneCalls } from "./call-budget.ts";

/**
 * The call budget of every tenant this process fetches for: one ledger per tenant, so one tenant's
 * busy hour never delays another tenant. Shared by all windows a process handles at once; the check
 * and the booking happen in one synchronous step, so concurrent windows cannot both take the last slot.
 *
 * It counts only this process's calls: the service's 429 stays the backstop when several fetchers
 * share a tenant's quota.
 */
export class TenantCallBudget {
  private readonly ledgers = new Map<string, number[]>();

  constructor(
    private readonly limits: CallLimits,
    private readonly now: () => number,
  ) {}

  /** Books a call for `tenant` now if it fits; otherwise says how long until a slot frees. */
  tryAcquire(tenant: string): Admission {
    const nowMs = this.now();
    const calls = pruneCalls(this.ledgers.get(tenant) ?? [], nowMs);
    const admission = admitCall(calls, nowMs, this.limits);
    if (admission.admitted) calls.push(nowMs);
    this.ledgers.set(tenant, calls);
    return admission;
  }
}
