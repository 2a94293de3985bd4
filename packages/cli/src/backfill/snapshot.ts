import { type CheckpointStore, queueNames, windowQueueNames } from "@xdr-relay/core";
import {
  type BackfillProgress,
  type BackfillRun,
  backfillProgress,
  type EnqueueState,
  enqueueState,
  type PeekedWindow,
  readBackfillRuns,
  readBackfillTally,
  type StoredBackfillTally,
} from "@xdr-relay/scheduler";
import type { OpenedQueue, PeekMessages } from "../wiring/open-queue.ts";
import { peekPages } from "../wiring/peek-pages.ts";

export interface BackfillSnapshot {
  /** As recorded now: its enqueue record moves while it is being sent. */
  readonly run: BackfillRun;
  readonly progress: BackfillProgress;
  /** Whether all its windows were sent, are being sent, or the process sending them stopped part-way. */
  readonly enqueue: EnqueueState;
  readonly tally: StoredBackfillTally;
  /** Row messages on the rows queue, all origins: what the sink has yet to upload. */
  readonly rowsWaiting: number | undefined;
}

const pageSize = 5_000;

/**
 * How far a backfill got: its windows left on the window queues and their DLQs, how many it sent,
 * and its fetchers' tally. Both lanes are read: its windows are on `windows-backfill`, but one an
 * older version enqueued (or its retries and halves from then) may still be on `windows`.
 */
export async function readSnapshot(args: {
  run: BackfillRun;
  queue: OpenedQueue;
  store: CheckpointStore;
  now?: () => number;
}): Promise<BackfillSnapshot> {
  const { queue, store } = args;
  const peek = queue.peek;
  if (!peek) throw new Error("backfill progress needs a queue that can list its messages (the embedded queue)");
  // Re-read: a newer overlapping backfill takes the windows it shares with this one.
  const runs = await readBackfillRuns(store);
  // The record as it is now (its enqueue count moves); the one we were given if it dropped off.
  const run = runs.find((r) => r.id === args.run.id) ?? args.run;
  const [queued, dead, tally] = await Promise.all([
    peekLanes(peek, {}),
    peekLanes(peek, { subQueue: "deadLetter" }),
    readBackfillTally(store, run.id),
  ]);
  return {
    run,
    progress: backfillProgress(run, runs.some((r) => r.id === run.id) ? runs : [...runs, run], queued, dead),
    enqueue: enqueueState(run, (args.now ?? Date.now)()),
    tally,
    rowsWaiting: queue.depth?.(queueNames.rows).active,
  };
}

/** Nothing of it is left on the window queues, and no process is still sending it (an empty queue then is not the end). */
export function isFinished(s: BackfillSnapshot): boolean {
  return s.progress.pending === 0 && s.enqueue.kind !== "sending";
}

async function peekLanes(peek: PeekMessages, options: { subQueue?: "deadLetter" }): Promise<PeekedWindow[]> {
  const lanes = await Promise.all(windowQueueNames.map((name) => peekAll(peek, name, options)));
  return lanes.flat();
}

/** Every message on one queue (or its DLQ), a page at a time, without locking any. */
async function peekAll(peek: PeekMessages, queueName: string, options: { subQueue?: "deadLetter" }): Promise<PeekedWindow[]> {
  const all: PeekedWindow[] = [];
  for await (const page of peekPages(peek, queueName, { ...options, pageSize })) all.push(...page);
  return all;
}
