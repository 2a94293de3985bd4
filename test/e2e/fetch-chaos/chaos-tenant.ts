import { SyntheticTenant } from "@xdr-relay/emulators";

export const hourMs = 3_600_000;

/** Alerts in the burst hour: about 3 evidence rows each, so that hour's AlertEvidence window passes the 100,000-row cap. */
export const burstAlerts = 35_000;

/**
 * The world of the chaos test, laid out around `nowMs`: a two-day backfill range on a 1-hour grid,
 * data on both sides of it (so "nothing outside the range" can fail), a burst hour, rows on every
 * quarter hour (the grid's edges and the edges of split halves), and late rows that only a
 * re-sweep after the late delay can find.
 */
export interface ChaosPlan {
  readonly windowMs: number;
  /** The backfill range `[fromMs, toMs)`. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly burst: { readonly startMs: number; readonly endMs: number };
  /** Late rows show up this long after their Timestamp at most: a re-sweep this much later finds them all. */
  readonly lateMaxDelayMs: number;
  readonly tenant: SyntheticTenant;
}

export function chaosPlan(tenantId: string, nowMs: number): ChaosPlan {
  const windowMs = hourMs;
  const toMs = Math.floor((nowMs - 2 * hourMs) / hourMs) * hourMs;
  const fromMs = toMs - 48 * hourMs;
  // Far enough before `to` that no burst row is late: the re-sweep of the tail stays small.
  const burst = { startMs: toMs - 28 * hourMs, endMs: toMs - 27 * hourMs };
  const lateMaxDelayMs = 10 * hourMs;
  const tenant = new SyntheticTenant({
    id: tenantId,
    seed: 2026,
    startMs: fromMs - 3 * hourMs,
    endMs: toMs + 90 * 60_000,
    alertsPerHour: 60,
    evidencePerAlert: 3,
    bursts: [{ ...burst, alerts: burstAlerts }],
    edgeRowsEveryMs: 15 * 60_000,
    late: { fraction: 0.1, minDelayMs: hourMs, maxDelayMs: lateMaxDelayMs },
  });
  return { windowMs, fromMs, toMs, burst, lateMaxDelayMs, tenant };
}
