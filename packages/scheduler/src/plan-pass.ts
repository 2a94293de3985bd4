import {
  type CheckpointStore,
  dueWindows,
  type Logger,
  type Metrics,
  newWindow,
  oldestWindowStartMs,
  type QueueSender,
  windowMessageId,
} from "@xdr-relay/core";
import { checkpointKey } from "./checkpoint-key.ts";
import { parseCheckpoint, passStart } from "./pass-start.ts";

export interface ScheduleDeps {
  readonly store: CheckpointStore;
  /** Sender to the windows queue. */
  readonly windows: QueueSender;
  readonly windowMs: number;
  readonly lagMs: number;
  readonly maxWindowsPerTick: number;
  /** Where a query with no checkpoint starts (epoch ms); default: the last whole window due now. */
  readonly startAtMs: number | undefined;
  /** Late-arrival re-sweeps, `schedule.resweepOffsetsMs`: pass i + 1 runs this long after the first. Absent: none. */
  readonly resweepOffsetsMs?: readonly number[] | undefined;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface TickResult {
  readonly enqueued: number;
  /** Windows due but left for later ticks (bounded catch-up). */
  readonly remaining: number;
}

/** One pass over a tenant's query: 0 the first pass, n ≥ 1 the n-th re-sweep, `offsetMs` after the first. */
export interface Pass {
  readonly tenant: string;
  readonly query: string;
  readonly nowMs: number;
  readonly sweep: number;
  readonly offsetMs: number;
}

/**
 * Enqueues the windows of one pass due since that pass's checkpoint (ended at least lag + offset
 * ago), then advances the checkpoint. Send first, write second: a crash in between re-sends the
 * same windows (same message ids, dropped as duplicates), never skips one. Two schedulers racing
 * both send the same ids; the compare-and-swap lets one advance the checkpoint and the other
 * re-reads. The sweep is part of the message id, so a re-sweep is not taken for a duplicate of the
 * first pass.
 */
export async function planPass(deps: ScheduleDeps, pass: Pass): Promise<TickResult> {
  const { tenant, query, sweep } = pass;
  const key = checkpointKey(tenant, query, sweep);
  for (let tries = 0; tries < 5; tries++) {
    const stored = await deps.store.read(key);
    const from = stored ? parseCheckpoint(key, stored.value) : await passStart(deps, pass);
    const checkpointMs = Math.max(from, oldestWindowStartMs(pass.nowMs, deps.windowMs));
    const plan = dueWindows({
      checkpointMs,
      nowMs: pass.nowMs,
      windowMs: deps.windowMs,
      lagMs: deps.lagMs + pass.offsetMs,
      maxWindows: deps.maxWindowsPerTick,
    });
    if (plan.windows.length === 0) return { enqueued: 0, remaining: 0 };
    // Said once, when the checkpoint moves past the skipped range, not on each contended try.
    const origin = sweep === 0 ? "schedule" : "resweep";
    const bodies = plan.windows.map((range) => newWindow({ tenant, query, range, origin, sweep }));
    await deps.windows.sendMessages(bodies.map((body) => ({ messageId: windowMessageId(body), body })));
    const written = await deps.store.write(key, String(plan.checkpointMs), stored?.etag);
    if (written !== undefined) {
      if (checkpointMs > from) passedOverRetention(deps, pass, from, checkpointMs);
      deps.metrics.increment("windowsEnqueued", bodies.length, { origin });
      deps.logger.info("windowsEnqueued", {
        tenant,
        query,
        sweep,
        windows: bodies.length,
        remaining: plan.remaining,
        upTo: new Date(plan.checkpointMs).toISOString(),
      });
      return { enqueued: bodies.length, remaining: plan.remaining };
    }
    deps.logger.debug("checkpointContended", { tenant, query, sweep });
  }
  throw new Error(`checkpoint ${key} kept changing under us; is another scheduler stuck in a loop?`);
}

/**
 * The range a pass skipped, `[from, oldest)`: a pass starts no earlier than Defender's oldest data
 * (plus a leeway, `oldestWindowStartMs`). A scheduler down for over a month, or a `startAt` long
 * past, would otherwise enqueue a window per grid step all the way from there, each answered empty
 * (millions from a `startAt` years back, weeks of call budget in front of the live windows).
 */
function passedOverRetention(deps: ScheduleDeps, pass: Pass, from: number, oldest: number): void {
  const windows = Math.ceil((oldest - from) / deps.windowMs);
  deps.metrics.increment("windowsPastRetention", windows);
  deps.logger.error("windowsPastRetention", {
    tenant: pass.tenant,
    query: pass.query,
    sweep: pass.sweep,
    from: new Date(from).toISOString(),
    to: new Date(oldest).toISOString(),
    windows,
    why: "older than Defender keeps advanced-hunting data (30 days), or within 15 minutes of that edge (a window there would expire before it is fetched): not enqueued",
  });
}
