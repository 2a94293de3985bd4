import { unitAt } from "./prng.ts";
import type { DelayRange } from "./tenant-options.ts";

/**
 * When a row becomes queryable: its `Timestamp` plus an ingestion delay, or a much longer one for
 * the late fraction. Derived from the row's identity, so it needs no storage and never changes.
 * The emulator never returns it: the relay can only discover late rows by querying again.
 */
export interface VisibilityModel {
  readonly ingestion: DelayRange;
  readonly late: (DelayRange & { readonly fraction: number }) | undefined;
}

export function availableAtMs(model: VisibilityModel, key: number, rowKey: number, timestampMs: number): number {
  const { late, ingestion } = model;
  const d = late && unitAt(key, rowKey, 401) < late.fraction ? late : ingestion;
  return timestampMs + d.minDelayMs + Math.floor(unitAt(key, rowKey, 402) * (d.maxDelayMs - d.minDelayMs));
}
