import type { SyntheticTenantOptions } from "../../packages/emulators/src/index.ts";

/**
 * The bench's synthetic tenant: background-free, with one burst of `alerts` alerts inside the 5-minute
 * window `[windowStartMs, +5 min)`, placed two hours back so every row is visible (ingestion delay ≤ 2 min).
 */
export const windowMs = 5 * 60_000;

export function benchTenant(alerts: number, nowMs = Date.now()): { options: SyntheticTenantOptions; windowStartMs: number } {
  const windowStartMs = Math.floor((nowMs - 2 * 3_600_000) / windowMs) * windowMs;
  const options: SyntheticTenantOptions = {
    id: "contoso",
    seed: 2026,
    startMs: windowStartMs - windowMs,
    endMs: windowStartMs + 2 * windowMs,
    alertsPerHour: 0,
    evidencePerAlert: 3,
    bursts: [{ startMs: windowStartMs, endMs: windowStartMs + windowMs, alerts }],
  };
  return { options, windowStartMs };
}
