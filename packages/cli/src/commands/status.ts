import { queueNames, type RelayConfig, systemClock } from "@xdr-relay/core";
import { readBackfillRuns } from "@xdr-relay/scheduler";
import { scheduleFreshness } from "../status/schedule-freshness.ts";
import { type QueueStatus, renderStatus, type StatusReport, statusProblems } from "../status/status-report.ts";
import { openCheckpointStore } from "../wiring/open-checkpoint-store.ts";
import { type OpenedQueue, openQueue } from "../wiring/open-queue.ts";

/**
 * `status [--check] [--json]`: is the relay keeping up? Queue depths and dead letters, and for
 * each tenant's query and re-sweep pass how far the scheduler has enqueued. Read-only, from the
 * shared queue and checkpoint store, so it works beside a running `run` in another process.
 * With `--check` it exits 1 when something needs an operator (for cron or a health probe).
 */
export async function statusCommand(
  config: RelayConfig,
  options: { check: boolean; json: boolean; nowMs?: number },
): Promise<number> {
  const checkpoints = openCheckpointStore(config);
  const queue = openQueue(config);
  try {
    await checkpoints.verify();
    const nowMs = options.nowMs ?? systemClock.now();
    const report: StatusReport = {
      nowMs,
      queues: await Promise.all(Object.values(queueNames).map((name) => queueStatus(queue, name))),
      passes: await scheduleFreshness(config, checkpoints.store, nowMs),
      backfillRuns: (await readBackfillRuns(checkpoints.store)).length,
    };
    const problems = statusProblems(report);
    if (options.json) console.log(JSON.stringify({ ...report, problems }, null, 2));
    else for (const line of renderStatus(report, config)) console.log(line);
    return options.check && problems.length > 0 ? 1 : 0;
  } finally {
    await queue.client.close();
    await checkpoints.close();
  }
}

async function queueStatus(queue: OpenedQueue, name: string): Promise<QueueStatus> {
  const depth = queue.depth?.(name);
  // Sequence order is enqueue order: the first message left is the oldest.
  const [oldest] = (await queue.peek?.(name, { maxMessageCount: 1, fromSequenceNumber: 0 })) ?? [];
  return { name, depth, oldestEnqueuedMs: oldest?.enqueuedTimeUtc.getTime() };
}
