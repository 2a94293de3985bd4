import { queueNames, type RelayConfig, systemClock } from "@xdr-relay/core";
import { enqueueState, readBackfillRuns, stoppedRuns } from "@xdr-relay/scheduler";
import { roleFaults } from "../status/role-faults.ts";
import { scheduleFreshness } from "../status/schedule-freshness.ts";
import { type QueueStatus, renderStatus, type StatusReport, statusProblems } from "../status/status-report.ts";
import { openCheckpointStore } from "../wiring/open-checkpoint-store.ts";
import { type OpenedQueue, openQueue } from "../wiring/open-queue.ts";
import { missingRelayData } from "../wiring/relay-data.ts";

/**
 * `status [--check] [--json]`: is the relay keeping up? Queue depths and dead letters, and for
 * each tenant's query and re-sweep pass how far the scheduler has enqueued. It changes no queue
 * and no checkpoint, so it works beside a running `run` in another process; and it opens no data
 * directory that holds no queue yet (a mistyped `dataDir` would otherwise look like a fresh relay).
 * With `--check` it exits 1 when something needs an operator (for cron or a health probe).
 */
export async function statusCommand(
  config: RelayConfig,
  options: { check: boolean; json: boolean; nowMs?: number },
): Promise<number> {
  const missing = missingRelayData(config);
  if (missing) {
    // `--json` stays JSON for a script, with the sentence as its one problem.
    console.log(options.json ? JSON.stringify({ relayData: false, problems: [missing] }, null, 2) : missing);
    return options.check ? 1 : 0;
  }
  const checkpoints = openCheckpointStore(config, { changesNothing: "`status`" });
  const queue = openQueue(config, { changesNothing: "`status`" });
  try {
    await checkpoints.verify();
    const nowMs = options.nowMs ?? systemClock.now();
    const runs = await readBackfillRuns(checkpoints.store);
    const report: StatusReport = {
      nowMs,
      queues: await Promise.all(Object.values(queueNames).map((name) => queueStatus(queue, name, nowMs))),
      passes: await scheduleFreshness(config, checkpoints.store, nowMs),
      backfillRuns: runs.length,
      stoppedBackfills: stoppedRuns(runs, nowMs).map((r) => {
        const state = enqueueState(r, nowMs);
        return {
          id: r.id,
          fromMs: r.fromMs,
          toMs: r.toMs,
          sent: state.kind === "complete" ? r.windows : state.sent,
          windows: r.windows,
          tenants: r.tenants,
        };
      }),
      faults: await roleFaults(config, checkpoints.store, nowMs),
    };
    const problems = statusProblems(report);
    if (options.json) console.log(JSON.stringify({ ...report, problems }, null, 2));
    else for (const line of renderStatus(report, problems, config)) console.log(line);
    return options.check && problems.length > 0 ? 1 : 0;
  } finally {
    await queue.client.close();
    await checkpoints.close();
  }
}

/** Messages looked at for the oldest one waiting: the first page in sequence order. */
const oldestPage = 1_000;

async function queueStatus(queue: OpenedQueue, name: string, nowMs: number): Promise<QueueStatus> {
  const depth = queue.depth?.(name);
  // A scheduled message (a retry's copy, a re-sweep due tomorrow) is not waiting until it is due,
  // and its enqueued time is then its due time: only those due count. The first page in sequence
  // order holds the oldest unless a long run of not-yet-due messages precedes it.
  const page = (await queue.peek?.(name, { maxMessageCount: oldestPage, fromSequenceNumber: 0 })) ?? [];
  const due = page.map((m) => m.enqueuedTimeUtc.getTime()).filter((t) => t <= nowMs);
  return { name, depth, oldestEnqueuedMs: due.length > 0 ? Math.min(...due) : undefined };
}
