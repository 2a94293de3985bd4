import type { CheckpointStore, Logger, WindowLaneSenders } from "@xdr-relay/core";
import { type BackfillRequest, type BackfillRun, enqueueBackfill, recordBackfillEnqueue } from "@xdr-relay/scheduler";

/**
 * Sends a recorded run's windows, tenant by tenant in the order of `requests`, recording after
 * each send how many went out, and that the enqueue is complete after the last one (re-sweeps
 * included). A run recorded as partly sent (its process died) goes on where the record says:
 * its message ids derive from the run's start, so the windows it sends again (at most one send's
 * worth, written after the record lagged) are dropped by duplicate detection. Returns how many
 * windows this call sent (all of them for a fresh run; the rest for one going on).
 */
export async function enqueueRun(args: {
  run: BackfillRun;
  requests: readonly BackfillRequest[];
  lanes: WindowLaneSenders;
  store: CheckpointStore;
  logger: Logger;
  now?: () => number;
  onProgress?: (tenant: string, sent: number, total: number) => void;
  /** Windows per send; default `enqueueBackfill`'s. */
  batchSize?: number;
}): Promise<{ sentNow: number }> {
  const { run, store } = args;
  const now = args.now ?? Date.now;
  const alreadySent = run.enqueue?.complete === false ? run.enqueue.sent : 0;
  let before = 0;
  for (const request of args.requests) {
    const offset = before;
    const { windows } = await enqueueBackfill({
      request: { ...request, nowMs: run.startedAtMs },
      lanes: args.lanes,
      logger: args.logger,
      alreadySent: alreadySent - offset,
      ...(args.batchSize !== undefined && { batchSize: args.batchSize }),
      onProgress: async (sent, total) => {
        await recordBackfillEnqueue(store, run.id, { sent: offset + sent, complete: false, atMs: now() });
        args.onProgress?.(request.tenant, sent, total);
      },
    });
    before += windows;
  }
  await recordBackfillEnqueue(store, run.id, { sent: before, complete: true, atMs: now() });
  return { sentNow: before - Math.min(alreadySent, before) };
}
