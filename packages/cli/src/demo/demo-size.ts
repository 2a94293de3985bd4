import { UsageError } from "../commands/usage-error.ts";

/** A bound on one of the demo's size options; whole numbers only. */
export interface DemoBound {
  readonly option: string;
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
}

/**
 * Up to 29 days: the simulated period ends minutes before now, and windows older than Defender's 30
 * days of retention are passed over by the scheduler (logged as an error) or dead-lettered by the
 * fetcher, so a period of 30 days would not be run as asked, or fail; a day's margin covers a slow
 * run (696 h took ~70 s on 2 cores). Whole hours keep the period on the 5-minute window grid.
 */
export const demoHours: DemoBound = { option: "--hours", min: 1, max: 29 * 24, fallback: 24 };

/**
 * Up to a million rows: emulators, roles and the final tally of distinct row ids share one process,
 * and a million already takes 3-4 minutes, up to ~640 MiB of memory (all in one hour) and 1.8 GB of
 * disk on 2 cores. Larger is a load test (scripts/bench), not a demo.
 */
export const demoRows: DemoBound = { option: "--rows", min: 1, max: 1_000_000, fallback: 60_000 };

/** The option's value within its bound, or a usage error saying the bound (Infinity or 1e9 would exhaust memory). */
export function parseDemoBound(bound: DemoBound, value: string | undefined): number {
  if (value === undefined) return bound.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < bound.min || n > bound.max) {
    throw new UsageError(`${bound.option} must be a whole number from ${bound.min} to ${bound.max}, got "${value}"`);
  }
  return n;
}
