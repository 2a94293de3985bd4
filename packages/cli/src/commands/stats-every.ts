import { UsageError } from "./usage-error.ts";

/** A day: the longest pause between progress lines. */
export const statsEveryMaxSeconds = 86_400;

/**
 * `run --stats-every <seconds>` in ms: 0 (no progress lines), or from 1 s to a day. Below a second
 * floods stdout with a line a millisecond; above 2^31-1 ms Node's timers fire after 1 ms instead.
 */
export function parseStatsEvery(value: string | undefined): number {
  if (value === undefined) return 60_000;
  // Plain decimal seconds only: Number() also reads "1e2", "0x10", " 5" and "+5", which no one means.
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1_000 : Number.NaN;
  if (!(ms === 0 || (ms >= 1_000 && ms <= statsEveryMaxSeconds * 1_000))) {
    throw new UsageError(`--stats-every must be 0 (none) or from 1 to ${statsEveryMaxSeconds} seconds, got "${value}"`);
  }
  return ms;
}
