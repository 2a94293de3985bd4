import { type CallBudget, type CheckpointStore, systemClock } from "@xdr-relay/core";
import type { BackfillRun } from "@xdr-relay/scheduler";
import { tallyFlushEveryMs } from "../roles/backfill-tally-tap.ts";
import type { OpenedQueue } from "../wiring/open-queue.ts";
import { Eta } from "./eta.ts";
import { finalReport, progressLine } from "./progress-line.ts";
import { type BackfillSnapshot, isFinished, readSnapshot } from "./snapshot.ts";

export interface WatchOptions {
  readonly run: BackfillRun;
  readonly queue: OpenedQueue;
  readonly store: CheckpointStore;
  /** Each tenant's call budget (`callBudgetFor`), for the ETA's lower bound. */
  readonly budgetOf: (tenant: string) => CallBudget;
  readonly signal: AbortSignal;
  /** Print one line and return instead of following the backfill to its end. */
  readonly once?: boolean;
  readonly out?: { isTTY?: boolean; write(text: string): unknown };
  /** Between looks at the queue; a terminal redraws each time, a log gets a line every `logEveryMs`. */
  readonly pollMs?: number;
  readonly logEveryMs?: number;
  /** How long to wait, once done, for the fetchers' last counts; default a little over their flush interval. */
  readonly settleMs?: number;
}

/**
 * Follows a backfill until nothing of it is left on the window queues and nothing more is being
 * enqueued: 0 when every window was fetched, 1 when some were dead-lettered (the report says how
 * to replay them) or never sent (its enqueue stopped part-way: the report says to run it again),
 * 130 when the operator stopped watching (the backfill goes on without the watcher).
 */
export async function watchBackfill(o: WatchOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const tty = out.isTTY === true;
  const pollMs = o.pollMs ?? 1_000;
  const logEveryMs = o.logEveryMs ?? 5_000;
  const eta = new Eta();
  const startedMs = Date.now();
  let lastLogMs = Number.NEGATIVE_INFINITY;
  let moved = { atMs: startedMs, key: "" };
  let snapshot: BackfillSnapshot;
  for (;;) {
    const lookedMs = Date.now();
    snapshot = await readSnapshot(o);
    const p = snapshot.progress;
    const key = `${p.done}|${p.unsent}|${p.deadLettered}|${snapshot.tally.calls}`;
    if (key !== moved.key) moved = { atMs: lookedMs, key };
    const left = eta.estimate({ ...p, atMs: lookedMs, startedAtMs: snapshot.run.startedAtMs, budgetOf: o.budgetOf });
    const line = progressLine(snapshot, left, lookedMs - moved.atMs);
    const finished = isFinished(snapshot);
    if (tty) out.write(`\r${line}\x1b[K${finished || o.once ? "\n" : ""}`);
    else if (finished || o.once || lookedMs - lastLogMs >= logEveryMs) {
      lastLogMs = lookedMs;
      out.write(`${line}\n`);
    }
    if (finished || o.once || o.signal.aborted) break;
    // A big backlog takes a while to list: look less often then, so watching never competes with fetching.
    await systemClock.sleep(Math.max(pollMs, 5 * (Date.now() - lookedMs)), o.signal);
  }
  if (snapshot.progress.pending > 0 || snapshot.enqueue.kind === "sending") {
    if (o.signal.aborted) {
      if (tty) out.write("\n");
      // Its queued windows are fetched either way; what is not sent yet goes out only if it is run again.
      const goesOn =
        snapshot.enqueue.kind === "stopped"
          ? "its queued windows are fetched, the rest only once it is run again (see above)"
          : "the backfill goes on";
      out.write(`stopped watching; ${goesOn}. Follow it again with \`xdr-relay backfill status --watch\`\n`);
      return 130;
    }
    return 0;
  }
  // The fetchers add their counts every few seconds: wait for the last window's before the totals.
  if (!o.once) {
    await systemClock.sleep(o.settleMs ?? tallyFlushEveryMs + 1_000, o.signal);
    snapshot = await readSnapshot(o);
  }
  for (const line of finalReport(snapshot)) out.write(`${line}\n`);
  const stopped = snapshot.enqueue.kind === "stopped"; // part of it never sent, re-sweeps included
  // A cancelled run was meant to end short: only its dead letters still need the operator.
  const short = snapshot.run.cancelledAtMs === undefined && (snapshot.progress.unsent > 0 || stopped);
  return snapshot.progress.deadLettered > 0 || short ? 1 : 0;
}
