import { type CheckpointStore, type Logger, nextTurn, type WindowLaneSenders } from "@xdr-relay/core";
import { type BackfillRequest, type BackfillRun, enqueueBackfill, recordBackfillEnqueue } from "@xdr-relay/scheduler";
import { fmt } from "./format.ts";

/**
 * Sends a recorded run's windows, tenant by tenant in the order of `requests`, recording after
 * each send how many went out, and that the enqueue is complete after the last one (re-sweeps
 * included). A run recorded as partly sent (its process died) goes on where the record says:
 * its message ids derive from the run's start, so the windows it sends again (at most one send's
 * worth, written after the record lagged) are dropped by duplicate detection. Returns how many
 * windows this call sent (all of them for a fresh run; the rest for one going on).
 * A try that fails, or is stopped through `signal` (checked after each send), records the run as
 * stopped before it throws, so the same backfill asked for again goes on at once. A run cancelled
 * meanwhile (seen in the record after each send) stops with `EnqueueCancelled`.
 */
export async function enqueueRun(args: {
  run: BackfillRun;
  requests: readonly BackfillRequest[];
  lanes: WindowLaneSenders;
  store: CheckpointStore;
  logger: Logger;
  now?: () => number;
  onProgress?: (tenant: string, sent: number, total: number) => void;
  /** Aborted: stop after the send under way, with `EnqueueStopped`. */
  signal?: AbortSignal;
  /** Windows per send; default `enqueueBackfill`'s. */
  batchSize?: number;
}): Promise<{ sentNow: number }> {
  const { run, store } = args;
  const now = args.now ?? Date.now;
  const alreadySent = run.enqueue?.complete === false ? run.enqueue.sent : 0;
  let before = 0;
  try {
    before = await sendRequests(args, alreadySent, now);
  } catch (error) {
    await recordStopped(args, now, error);
    throw error;
  }
  await recordBackfillEnqueue(store, run.id, { sent: before, complete: true, atMs: now() });
  return { sentNow: before - Math.min(alreadySent, before) };
}

/** Stopped through the signal: says how far the run got and how to go on. */
export class EnqueueStopped extends Error {
  override readonly name = "EnqueueStopped";
}

/** The run was cancelled while it was being sent: says how far it got; there is nothing to go on with. */
export class EnqueueCancelled extends Error {
  override readonly name = "EnqueueCancelled";
}

type EnqueueRunArgs = Parameters<typeof enqueueRun>[0];

/** Sends every request's windows; returns the run's first-pass windows, those sent before included. */
async function sendRequests(args: EnqueueRunArgs, alreadySent: number, now: () => number): Promise<number> {
  const { run, store } = args;
  // Asked to stop with `sent` of the run's windows out: before a send, or after one but the last.
  const stopIfAsked = (sent: number) => {
    if (args.signal?.aborted && sent < run.windows) {
      throw new EnqueueStopped(`backfill ${run.id} stopped after ${fmt(sent)} of ${fmt(run.windows)} windows were enqueued`);
    }
  };
  let before = 0;
  for (const request of args.requests) {
    const offset = before;
    stopIfAsked(Math.max(offset, alreadySent));
    const { windows } = await enqueueBackfill({
      request: { ...request, nowMs: run.startedAtMs, runId: run.id, order: run.order ?? "by-query" },
      lanes: args.lanes,
      logger: args.logger,
      alreadySent: alreadySent - offset,
      ...(args.batchSize !== undefined && { batchSize: args.batchSize }),
      onProgress: async (sent, total) => {
        const recorded = await recordBackfillEnqueue(store, run.id, { sent: offset + sent, complete: false, atMs: now() });
        args.onProgress?.(request.tenant, sent, total);
        // Cancelled meanwhile (`backfill cancel`): the fetchers drop its windows, so sending more is waste.
        if (recorded?.cancelledAtMs !== undefined && offset + sent < run.windows) {
          throw new EnqueueCancelled(
            `backfill ${run.id} was cancelled (\`xdr-relay backfill cancel\`) while being enqueued: ` +
              `stopped after ${fmt(offset + sent)} of ${fmt(run.windows)} windows; the fetchers drop those sent, without a call`,
          );
        }
        // The embedded queue's sends complete without leaving the microtask queue: without a turn
        // of the event loop here, Ctrl-C was never heard and a 200,000-window run went out whole.
        await nextTurn();
        stopIfAsked(offset + sent);
      },
    });
    before += windows;
  }
  return before;
}

/**
 * Best effort: when the record cannot be written either (the store is what failed), the run is
 * taken for stopped a minute after its last update instead, and the first error is the one to see.
 */
async function recordStopped(args: EnqueueRunArgs, now: () => number, cause: unknown): Promise<void> {
  try {
    await recordBackfillEnqueue(args.store, args.run.id, { sent: 0, complete: false, atMs: now(), stopped: true });
  } catch (error) {
    args.logger.warn("backfillStopNotRecorded", { run: args.run.id, error: String(error), cause: String(cause) });
  }
}
