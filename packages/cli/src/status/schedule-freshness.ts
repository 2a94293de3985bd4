import type { CheckpointStore, RelayConfig } from "@xdr-relay/core";
import { checkpointKey, originKey, parseCheckpoint } from "@xdr-relay/scheduler";

/** How far one scheduler pass (a tenant's query, first pass or a re-sweep) has enqueued. */
export interface PassFreshness {
  readonly tenant: string;
  readonly query: string;
  /** 0: the first pass; n: the n-th late-arrival re-sweep. */
  readonly sweep: number;
  /** How long after the first pass this pass runs (0 for the first pass). */
  readonly offsetMs: number;
  /** The end of the last window this pass enqueued; undefined until it enqueued one. */
  readonly enqueuedUntilMs: number | undefined;
  /**
   * When the next window this pass will enqueue is due (ended lag + offset ago). Before a pass's
   * first window, from where every pass starts (the first pass's pinned origin); undefined when
   * the scheduler has not run for this query at all.
   */
  readonly nextDueAtMs: number | undefined;
  /**
   * How long the oldest window this pass has not enqueued yet has been due. A running scheduler
   * enqueues a window within a tick of its becoming due, so anything over two ticks means the
   * scheduler is down or catching up (`schedule.maxWindowsPerTick`).
   */
  readonly overdueMs: number;
  readonly state: "current" | "behind" | "notStarted";
}

/**
 * Reads every pass's checkpoint and says how current it is at `nowMs`. Read-only: it never pins
 * an origin or advances anything, so it is safe beside a running scheduler.
 */
export async function scheduleFreshness(
  config: Pick<RelayConfig, "tenants" | "schedule">,
  store: CheckpointStore,
  nowMs: number,
): Promise<PassFreshness[]> {
  const { windowMs, lagMs, tickMs, resweepOffsetsMs } = config.schedule;
  const passes = [{ sweep: 0, offsetMs: 0 }, ...resweepOffsetsMs.map((offsetMs, i) => ({ sweep: i + 1, offsetMs }))];
  const result: PassFreshness[] = [];
  for (const tenant of config.tenants) {
    for (const query of tenant.queries) {
      for (const { sweep, offsetMs } of passes) {
        const key = checkpointKey(tenant.id, query, sweep);
        const stored = await store.read(key);
        const enqueuedUntilMs = stored ? parseCheckpoint(key, stored.value) : undefined;
        const startMs = enqueuedUntilMs ?? (await readOrigin(store, tenant.id, query));
        // The next window, [start, start + window), is due once it ended lag (+ offset) ago.
        const nextDueAtMs = startMs === undefined ? undefined : startMs + windowMs + lagMs + offsetMs;
        const overdueMs = nextDueAtMs === undefined ? 0 : Math.max(0, nowMs - nextDueAtMs);
        const state = nextDueAtMs === undefined ? "notStarted" : overdueMs > 2 * tickMs ? "behind" : "current";
        result.push({ tenant: tenant.id, query, sweep, offsetMs, enqueuedUntilMs, nextDueAtMs, overdueMs, state });
      }
    }
  }
  return result;
}

async function readOrigin(store: CheckpointStore, tenant: string, query: string): Promise<number | undefined> {
  const key = originKey(tenant, query);
  const stored = await store.read(key);
  return stored ? parseCheckpoint(key, stored.value) : undefined;
}
