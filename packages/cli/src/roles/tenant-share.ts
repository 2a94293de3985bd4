import { type Outcome, QueryWindow } from "@xdr-relay/core";

/** How long a slot holds a window whose tenant's share is full, hoping a slot of that share frees. */
export const shareHoldMs = 2_000;
/** Then, how long the window waits on the queue before it is offered again. */
export const shareWaitMs = 1_000;

/** Fetch slots in one process, and how many of them one tenant may hold at once. */
export interface SlotPlan {
  readonly slots: number;
  readonly share: number;
}

/**
 * A tenant whose Graph hangs (queries running into the service's 3-minute timeout, a black-holed
 * network) would take every slot, one hung call each, and stall the fetcher for every tenant. So
 * with several tenants no tenant holds more than `concurrency` slots, and the process has half as
 * many again: those stay free for the other tenants. A lone tenant keeps exactly `concurrency`.
 * The cost is up to 1.5× the windows in memory at once, and only when several tenants are busy.
 */
export function slotPlan(concurrency: number, tenants: number): SlotPlan {
  if (tenants <= 1) return { slots: concurrency, share: concurrency };
  return { slots: concurrency + Math.max(1, Math.ceil(concurrency / 2)), share: concurrency };
}

/** Windows in flight per tenant, against each tenant's share. Synchronous: check and take in one step. */
export class TenantShare {
  /** Per tenant, when each of its windows in flight started (ms), oldest first. */
  private readonly inFlight = new Map<string, number[]>();

  constructor(
    private readonly share: number,
    /** Hears each window sent back because its tenant's share was full (for logs and metrics). */
    private readonly onFull: (tenant: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a slot of `tenant`'s share if one is free; returns its token for `release`, else undefined. */
  tryTake(tenant: string): number | undefined {
    const started = this.inFlight.get(tenant) ?? [];
    if (started.length >= this.share) return undefined;
    const token = this.now();
    started.push(token);
    this.inFlight.set(tenant, started);
    return token;
  }

  release(tenant: string, token: number): void {
    const started = this.inFlight.get(tenant) ?? [];
    started.splice(started.indexOf(token), 1);
    if (started.length === 0) this.inFlight.delete(tenant);
  }

  /**
   * Runs `fetch` for a window within its tenant's share, or, when the share is full, sends the window
   * back for a little later without a call and without spending an attempt. A body that is not a
   * window goes straight to `fetch`, whose handler dead-letters it.
   */
  async within(body: unknown, fetch: () => Promise<Outcome>): Promise<Outcome> {
    const parsed = QueryWindow.safeParse(body);
    if (!parsed.success) return fetch();
    const { tenant } = parsed.data;
    const token = this.tryTake(tenant) ?? (await this.takeSoon(tenant));
    if (token === undefined) {
      this.onFull(tenant);
      const reason = `tenant ${tenant} already has ${this.share} windows in flight`;
      return { kind: "retry", delayMs: shareWaitMs, reason, retryBody: parsed.data };
    }
    try {
      return await fetch();
    } finally {
      this.release(tenant, token);
    }
  }

  /**
   * Waits up to `shareHoldMs` for a slot of the share, unless the tenant's oldest window in flight
   * is already older than that (its calls hang: waiting would only idle this slot). A busy but
   * healthy tenant frees a slot within a second or so; sending each of its windows back to the
   * queue instead would churn through its whole backlog.
   */
  private async takeSoon(tenant: string): Promise<number | undefined> {
    const deadline = this.now() + shareHoldMs;
    while (this.now() < deadline) {
      const oldest = this.inFlight.get(tenant)?.[0];
      if (oldest !== undefined && this.now() - oldest > shareHoldMs) return undefined;
      await new Promise((r) => setTimeout(r, 25));
      const token = this.tryTake(tenant);
      if (token !== undefined) return token;
    }
    return undefined;
  }
}
