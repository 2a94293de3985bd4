import {
  alignDown,
  type CheckpointStore,
  dueWindows,
  type Logger,
  type Metrics,
  newWindow,
  type QueueSender,
  windowMessageId,
} from "@xdr-relay/core";
import { checkpointKey } from "./checkpoint-key.ts";

export interface ScheduleDeps {
  readonly store: CheckpointStore;
  /** Sender to the windows queue. */
  readonly windows: QueueSender;
  readonly windowMs: number;
  readonly lagMs: number;
  readonly maxWindowsPerTick: number;
  /** Where a query with no checkpoint starts (epoch ms); default: the last whole window due now. */
  readonly startAtMs: number | undefined;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface TickResult {
  readonly enqueued: number;
  /** Windows due but left for later ticks (bounded catch-up). */
  readonly remaining: number;
}

/**
 * One scheduler tick for one tenant's query: enqueue the windows due since the checkpoint, then
 * advance the checkpoint. Send first, write second: a crash in between re-sends the same windows
 * (same message ids, dropped as duplicates), never skips one. Two schedulers racing both send the
 * same ids; the compare-and-swap lets one advance the checkpoint and the other re-reads.
 */
export async function planTick(deps: ScheduleDeps, tenant: string, query: string, nowMs: number): Promise<TickResult> {
  const key = checkpointKey(tenant, query);
  for (let tries = 0; tries < 5; tries++) {
    const stored = await deps.store.read(key);
    const checkpointMs = stored ? Number(stored.value) : initialCheckpoint(deps, nowMs);
    // NaN would plan no window, tick after tick, without a word: a corrupt checkpoint must be loud.
    if (!Number.isFinite(checkpointMs))
      throw new Error(`checkpoint ${key} holds "${stored?.value}", not epoch milliseconds; fix or delete it`);
    const plan = dueWindows({
      checkpointMs,
      nowMs,
      windowMs: deps.windowMs,
      lagMs: deps.lagMs,
      maxWindows: deps.maxWindowsPerTick,
    });
    if (plan.windows.length === 0) return { enqueued: 0, remaining: 0 };
    const bodies = plan.windows.map((range) => newWindow({ tenant, query, range, origin: "schedule" }));
    await deps.windows.sendMessages(bodies.map((body) => ({ messageId: windowMessageId(body), body })));
    const written = await deps.store.write(key, String(plan.checkpointMs), stored?.etag);
    if (written !== undefined) {
      deps.metrics.increment("windowsEnqueued", bodies.length);
      deps.logger.info("windowsEnqueued", {
        tenant,
        query,
        windows: bodies.length,
        remaining: plan.remaining,
        upTo: new Date(plan.checkpointMs).toISOString(),
      });
      return { enqueued: bodies.length, remaining: plan.remaining };
    }
    deps.logger.debug("checkpointContended", { tenant, query });
  }
  throw new Error(`checkpoint ${key} kept changing under us; is another scheduler stuck in a loop?`);
}

function initialCheckpoint(deps: ScheduleDeps, nowMs: number): number {
  return deps.startAtMs ?? alignDown(nowMs - deps.lagMs, deps.windowMs) - deps.windowMs;
}
