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
  if (!Number.isSafeInteger(ms)) throw new Error(`checkpoint ${key} holds "${value}", not epoch milliseconds; fix or delete it`);
  return ms;
}

/**
 * Where a pass with no checkpoint of its own begins: where the first pass began. The first pass
 * reads the pinned origin when there is one (else it starts as it always did, at `startAt` or the
 * last whole window due now). A re-sweep pass pins the origin first (compare-and-swap create, so
 * racing schedulers agree on one value): for a new deployment that is where the first pass is
 * about to start; for a deployment that ran before re-sweeps existed, where its first pass is now.
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
  if (args.sweep === 0) return fresh;

  const firstKey = checkpointKey(args.tenant, args.query);
  const first = await deps.store.read(firstKey);
  const origin = first ? parseCheckpoint(firstKey, first.value) : fresh;
  if ((await deps.store.write(key, String(origin), undefined)) !== undefined) return origin;
  // Another scheduler pinned it first: theirs is the one every pass uses.
  const winner = await deps.store.read(key);
  if (!winner) throw new Error(`checkpoint ${key} was created and then vanished; is something deleting checkpoints?`);
  return parseCheckpoint(key, winner.value);
}
