import { alignDown, type CheckpointStore } from "@xdr-relay/core";
import { checkpointKey, originKey } from "./checkpoint-key.ts";

export interface PassStartDeps {
  readonly store: CheckpointStore;
  readonly windowMs: number;
  readonly lagMs: number;
  readonly startAtMs: number | undefined;
}

/** A stored checkpoint as epoch ms; NaN would plan nothing, tick after tick, silently, so it throws. */
export function parseCheckpoint(key: string, value: string): number {
  // Digits only: `Number("")` and `Number(" ")` are 0, which planned every window since 1970.
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new Error(
      `checkpoint ${key} holds "${value}", not epoch milliseconds: set it to the end (epoch ms) of the last window this pass enqueued, ` +
        "or a little earlier (windows enqueued again are dropped as duplicates); do not delete it: the pass would start over, " +
        "from its first start (enqueueing its whole history again) or from now (skipping every window since the last good value)",
    );
  }
  return ms;
}

/**
 * Where a pass with no checkpoint of its own begins: where the first pass began, pinned once
 * (compare-and-swap create) so racing schedulers agree on one value. The first pass pins `startAt`
 * or the last whole window due now; before, it did not, and of two schedulers starting together
 * the one whose first checkpoint write lost took the other's later start, and the windows between
 * the two starts were never enqueued. A re-sweep pass with no pinned origin pins where the first
 * pass is now (a deployment that ran before re-sweeps existed), or where it is about to start.
 * Re-sweeps run before the first pass in a tick, so the first pass has not moved in between.
 */
export async function passStart(
  deps: PassStartDeps,
  args: { tenant: string; query: string; nowMs: number; sweep: number },
): Promise<number> {
  const key = originKey(args.tenant, args.query);
  const pinned = await deps.store.read(key);
  if (pinned) return parseCheckpoint(key, pinned.value);
  const fresh = deps.startAtMs ?? alignDown(args.nowMs - deps.lagMs, deps.windowMs) - deps.windowMs;
  const firstKey = checkpointKey(args.tenant, args.query);
  const first = args.sweep === 0 ? undefined : await deps.store.read(firstKey);
  const origin = first ? parseCheckpoint(firstKey, first.value) : fresh;
  if ((await deps.store.write(key, String(origin), undefined)) !== undefined) return origin;
  // Another scheduler pinned it first: theirs is the one every pass uses.
  const winner = await deps.store.read(key);
  if (!winner) throw new Error(`checkpoint ${key} was created and then vanished; is something deleting checkpoints?`);
  return parseCheckpoint(key, winner.value);
}
