import type { CheckpointStore } from "@xdr-relay/core";

/**
 * What fetching a backfill has cost so far, added up by every fetcher process. Statistics, not
 * the record of what is done (the queue is: a window is done when no part of it is left on it):
 * a fetcher killed between a call and its next flush leaves a few calls uncounted.
 */
export interface BackfillTally {
  /** Hunting calls made, whatever they returned. */
  readonly calls: number;
  /** Calls the service refused with 429 (call or CPU quota); the window waits `Retry-After`. */
  readonly throttled: number;
  /** Windows our own per-tenant budget held back without a call. */
  readonly deferred: number;
  /** Windows split because the result may have been cut; each half is another call. */
  readonly splits: number;
  /** Row messages sent to the rows queue (a window fetched twice sends its rows twice; the queue drops the copies). */
  readonly rowsSent: number;
  /** Window messages (retry copies and halves each count) dropped without a call after `backfill cancel`. */
  readonly cancelled: number;
}

/** The tally as stored: the counts, and when they were last added to. */
export interface StoredBackfillTally extends BackfillTally {
  /**
   * When a fetcher last added to it, by its clock: a flush interval at most after the run's last
   * call, so a finished run's end, which no later look moves. Absent in tallies of older versions.
   */
  readonly lastAtMs?: number;
}

export const emptyTally: BackfillTally = { calls: 0, throttled: 0, deferred: 0, splits: 0, rowsSent: 0, cancelled: 0 };
const fields = Object.keys(emptyTally) as (keyof BackfillTally)[];
const maxSwapTries = 10;

export function backfillTallyKey(runId: string): string {
  return `backfill/${runId}/tally`;
}

export function addTallies(a: BackfillTally, b: BackfillTally): BackfillTally {
  return Object.fromEntries(fields.map((f) => [f, a[f] + b[f]])) as unknown as BackfillTally;
}

export function isEmptyTally(t: BackfillTally): boolean {
  return fields.every((f) => t[f] === 0);
}

export async function readBackfillTally(store: CheckpointStore, runId: string): Promise<StoredBackfillTally> {
  return parseTally((await store.read(backfillTallyKey(runId)))?.value);
}

/**
 * Adds `delta` to the run's tally with compare-and-swap, so fetchers in several processes add up
 * rather than overwrite each other. Resolves false when other writers kept winning: the caller
 * keeps the delta and adds it next time.
 */
export async function addToBackfillTally(
  store: CheckpointStore,
  runId: string,
  delta: BackfillTally,
  nowMs = Date.now(),
): Promise<boolean> {
  const key = backfillTallyKey(runId);
  for (let i = 0; i < maxSwapTries; i++) {
    const stored = await store.read(key);
    const before = parseTally(stored?.value);
    // The latest wins: a fetcher whose clock is behind another's does not move the end back.
    const next = { ...addTallies(before, delta), lastAtMs: Math.max(before.lastAtMs ?? nowMs, nowMs) };
    if ((await store.write(key, JSON.stringify(next), stored?.etag)) !== undefined) return true;
  }
  return false;
}

function parseTally(value: string | undefined): StoredBackfillTally {
  if (value === undefined) return emptyTally;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    return emptyTally; // a damaged tally restarts from zero; it is statistics, never progress itself
  }
  const number = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const counts = Object.fromEntries(fields.map((f) => [f, number(parsed?.[f]) ?? 0])) as unknown as BackfillTally;
  const lastAtMs = number(parsed?.["lastAtMs"]);
  return lastAtMs === undefined ? counts : { ...counts, lastAtMs };
}
