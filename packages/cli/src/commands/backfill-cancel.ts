import type { CheckpointStore, RelayConfig } from "@xdr-relay/core";
import { type BackfillRun, cancelBackfillRun, readBackfillRuns } from "@xdr-relay/scheduler";
import { duration, iso } from "../backfill/format.ts";
import { readSnapshot } from "../backfill/snapshot.ts";
import { openCheckpointStore } from "../wiring/open-checkpoint-store.ts";
import { openQueue } from "../wiring/open-queue.ts";
import { missingRelayData } from "../wiring/relay-data.ts";
import { UsageError } from "./usage-error.ts";

/**
 * `backfill cancel --id <id>`: calls a backfill off, for one asked for by mistake (a month instead
 * of a day) that would otherwise spend days of call budget. It is recorded in the checkpoint store;
 * the fetchers, which read that record every few seconds, then complete each of its windows they
 * receive without a hunting call: those still queued, their retries and split halves, on any queue
 * and in any process, with nothing to purge or lock. A window being fetched at that moment
 * finishes, and rows already sent stay. The re-sweeps it scheduled on the live lane stay too:
 * each is the scheduler's own pass of that window, under its id.
 */
export async function backfillCancelCommand(config: RelayConfig, options: { id?: string | undefined }): Promise<number> {
  if (!options.id) {
    throw new UsageError("backfill cancel needs --id <id>: `xdr-relay backfill status` names the latest backfill");
  }
  const missing = missingRelayData(config);
  if (missing) {
    console.log(missing);
    return 1;
  }
  const checkpoints = openCheckpointStore(config);
  try {
    await checkpoints.verify();
    const nowMs = Date.now();
    const finished = await finishedRun(config, checkpoints.store, options.id);
    if (finished !== undefined) {
      // A cancel would change nothing it fetched, but would lift the guard against asking for it again.
      console.log(
        `backfill ${finished.id} (${iso(finished.fromMs)} → ${iso(finished.toMs)}) has finished: all ${finished.windows} ` +
          "of its windows were fetched, so there is nothing to cancel (left as it is)",
      );
      return 0;
    }
    const run = await cancelBackfillRun(checkpoints.store, options.id, nowMs);
    if (!run) {
      const known = (await readBackfillRuns(checkpoints.store)).map((r) => r.id).join(", ") || "none";
      throw new UsageError(`no backfill ${options.id} in ${checkpoints.where}; recorded: ${known}`);
    }
    const cancelledAtMs = run.cancelledAtMs ?? nowMs;
    const when = cancelledAtMs < nowMs ? `was cancelled already, ${duration(nowMs - cancelledAtMs)} ago` : "is cancelled";
    console.log(
      `backfill ${run.id} (${iso(run.fromMs)} → ${iso(run.toMs)}) ${when}: the fetchers drop its windows still ` +
        "queued without a hunting call as they reach them (within seconds; one put off for the call budget, when its wait ends); " +
        "a window being fetched now finishes, " +
        `and rows already sent stay. \`xdr-relay backfill status --id ${run.id} --watch\` follows the drop.`,
    );
    return 0;
  } finally {
    await checkpoints.close();
  }
}

/**
 * The run `id` when it has finished: all sent, and nothing of it left on the window queues or
 * their dead-letter queues. Recording a cancel on it would only make `backfill` stop warning
 * that the range was fetched already, and a repeat would spend its calls again.
 */
async function finishedRun(config: RelayConfig, store: CheckpointStore, id: string): Promise<BackfillRun | undefined> {
  const run = (await readBackfillRuns(store)).find((r) => r.id === id);
  if (run === undefined || run.cancelledAtMs !== undefined) return undefined;
  const queue = openQueue(config);
  try {
    if (queue.peek === undefined) return undefined;
    const { progress, enqueue } = await readSnapshot({ run, queue, store });
    return enqueue.kind === "complete" && progress.done === progress.total ? run : undefined;
  } finally {
    await queue.client.close();
  }
}
