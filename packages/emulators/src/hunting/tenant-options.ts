/** A burst of extra alerts, spread evenly at random over `[startMs, endMs)` (an incident, a noisy rule). */
export interface AlertBurst {
  readonly startMs: number;
  readonly endMs: number;
  readonly alerts: number;
}

/** Delay between a row's `Timestamp` and the moment the service lets a query see it. */
export interface DelayRange {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

export interface SyntheticTenantOptions {
  /** Tenant id as the relay's config names it (`[A-Za-z0-9._-]+`); also routes `/{tenant}/v1.0/...`. */
  readonly id: string;
  /** Same seed and options, same rows. Default 1. */
  readonly seed?: number;
  /** Alerts span `[startMs, endMs)`. */
  readonly startMs: number;
  readonly endMs: number;
  /** Background rate, spread uniformly at random. Default 12. */
  readonly alertsPerHour?: number;
  /** Average `AlertEvidence` rows per alert (at least 1 each when ≥ 1). Default 3. */
  readonly evidencePerAlert?: number;
  readonly bursts?: readonly AlertBurst[];
  /** One extra alert exactly on every multiple of this (from the epoch) in range: rows on window edges. */
  readonly edgeRowsEveryMs?: number;
  /** Usual ingestion delay. Default 2 s to 2 min. */
  readonly ingestion?: DelayRange;
  /** A fraction of rows that show up much later (re-sweeps must catch them). Default none. */
  readonly late?: DelayRange & { readonly fraction: number };
}

export type ResolvedTenantOptions = Required<Omit<SyntheticTenantOptions, "late" | "edgeRowsEveryMs">> &
  Pick<SyntheticTenantOptions, "late" | "edgeRowsEveryMs">;

export const defaultIngestionDelay: DelayRange = { minDelayMs: 2_000, maxDelayMs: 120_000 };

/** Defaults applied and nonsense refused early, with the option's name in the message. */
export function resolveTenantOptions(o: SyntheticTenantOptions): ResolvedTenantOptions {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`SyntheticTenant ${JSON.stringify(o.id)}: ${what}`);
  };
  check(/^[A-Za-z0-9._-]+$/.test(o.id), "id must be letters, digits, '.', '_' or '-'");
  check(Number.isFinite(o.startMs) && Number.isFinite(o.endMs) && o.startMs < o.endMs, "startMs must be before endMs");
  const resolved = {
    id: o.id,
    seed: o.seed ?? 1,
    startMs: o.startMs,
    endMs: o.endMs,
    alertsPerHour: o.alertsPerHour ?? 12,
    evidencePerAlert: o.evidencePerAlert ?? 3,
    bursts: o.bursts ?? [],
    edgeRowsEveryMs: o.edgeRowsEveryMs,
    ingestion: o.ingestion ?? defaultIngestionDelay,
    late: o.late,
  };
  check(resolved.alertsPerHour >= 0 && resolved.evidencePerAlert >= 0, "alertsPerHour and evidencePerAlert must be ≥ 0");
  check(resolved.evidencePerAlert <= 100, "evidencePerAlert must be ≤ 100");
  check(o.edgeRowsEveryMs === undefined || o.edgeRowsEveryMs >= 1, "edgeRowsEveryMs must be ≥ 1");
  check(
    resolved.bursts.every((b) => b.startMs < b.endMs && b.alerts >= 0),
    "each burst needs startMs < endMs and alerts ≥ 0",
  );
  for (const [name, d] of [
    ["ingestion", resolved.ingestion],
    ["late", o.late],
  ] as const) {
    check(!d || (0 <= d.minDelayMs && d.minDelayMs <= d.maxDelayMs), `${name}: need 0 ≤ minDelayMs ≤ maxDelayMs`);
  }
  check(!o.late || (0 <= o.late.fraction && o.late.fraction <= 1), "late.fraction must be within [0, 1]");
  return resolved;
}
