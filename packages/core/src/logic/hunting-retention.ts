import { alignUp } from "./window-grid.ts";

/** Defender keeps advanced-hunting data for 30 days; older windows would come back empty. */
export const huntingRetentionMs = 30 * 24 * 60 * 60_000;

/**
 * Leeway between Defender's oldest data and the oldest window we enqueue (the scheduler after a
 * long stop, a backfill's `--from`): long enough for that window to be fetched before its range
 * falls out too (the fetcher would dead-letter it `WindowExpired`), short enough to give up little.
 */
export const retentionLeewayMs = 15 * 60_000;

/**
 * The earliest grid window start we enqueue at `nowMs`: Defender's oldest data plus the leeway,
 * rounded up to the grid. The scheduler after a long stop starts no earlier, and `backfill`
 * refuses a `--from` whose first window would.
 */
export function oldestWindowStartMs(nowMs: number, windowMs: number): number {
  return alignUp(nowMs - huntingRetentionMs + retentionLeewayMs, windowMs);
}

/**
 * How much of `[startMs, endMs)` is past Defender's retention at `nowMs`: `none`, `part` (its
 * start is: a query returns only the rest) or `all` (its rows are gone; a query returns nothing).
 */
export function pastRetention(range: { startMs: number; endMs: number }, nowMs: number): "none" | "part" | "all" {
  const oldestMs = nowMs - huntingRetentionMs;
  if (range.endMs <= oldestMs) return "all";
  return range.startMs < oldestMs ? "part" : "none";
}
