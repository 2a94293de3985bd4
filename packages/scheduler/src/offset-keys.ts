import type { CheckpointStore } from "@xdr-relay/core";
import { checkpointKey, offsetKeysMarker, positionalKey } from "./checkpoint-key.ts";

/**
 * Carries a query's re-sweep checkpoints from their positional keys (`sweep-1`, `sweep-2`) to
 * their offset keys, once: the offset at each place is taken to be the one configured now, as it
 * was when those checkpoints were written (a list changed in the same upgrade cannot be told
 * apart). A key already there is left alone; racing schedulers create each key once
 * (compare-and-swap create). The marker stops later lists from reading positional keys again: a
 * leftover `sweep-2` would otherwise start an offset appended at that place from a stale value.
 */
export async function carryOverPositionalKeys(
  store: CheckpointStore,
  tenant: string,
  query: string,
  offsetsMs: readonly number[],
): Promise<void> {
  const marker = offsetKeysMarker(tenant, query);
  if (offsetsMs.length === 0 || (await store.read(marker)) !== undefined) return;
  for (const [i, offsetMs] of offsetsMs.entries()) {
    const key = checkpointKey(tenant, query, offsetMs);
    if ((await store.read(key)) !== undefined) continue;
    const old = await store.read(positionalKey(tenant, query, i + 1));
    if (old !== undefined) await store.write(key, old.value, undefined);
  }
  await store.write(marker, "1", undefined);
}

/** What `status` reads for a re-sweep pass: its offset key, else (not carried over yet) its positional one. */
export async function readResweepCheckpoint(
  store: CheckpointStore,
  tenant: string,
  query: string,
  pass: { readonly sweep: number; readonly offsetMs: number },
): Promise<{ key: string; value: string } | undefined> {
  const key = checkpointKey(tenant, query, pass.offsetMs);
  const stored = await store.read(key);
  if (stored) return { key, value: stored.value };
  if (pass.sweep === 0 || (await store.read(offsetKeysMarker(tenant, query))) !== undefined) return undefined;
  const old = positionalKey(tenant, query, pass.sweep);
  const legacy = await store.read(old);
  return legacy ? { key: old, value: legacy.value } : undefined;
}
