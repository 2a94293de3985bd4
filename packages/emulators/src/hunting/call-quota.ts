export type QuotaVerdict = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

const windowMs = 60_000;

/**
 * Calls per tenant per sliding minute, on the emulator's clock. Only admitted calls count: a client
 * that keeps knocking while throttled is told to wait, not punished further (*unconfirmed*: how
 * Graph counts refused calls). `Retry-After` is when the oldest counted call leaves the window.
 */
export class CallQuota {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly callsPerMinute: number) {}

  admit(tenant: string, nowMs: number): QuotaVerdict {
    if (!Number.isFinite(this.callsPerMinute)) return { admitted: true };
    const times = this.calls.get(tenant) ?? [];
    this.calls.set(tenant, times);
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= nowMs - windowMs) expired++;
    times.splice(0, expired);
    if (times.length >= this.callsPerMinute) {
      const oldest = times[0] ?? nowMs;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000)) };
    }
    times.push(nowMs);
    return { admitted: true };
  }
}
