// The backfill's other parts, exported with it (the package index exports this file).
export * from "./backfill-estimate.ts";
export * from "./backfill-overlap.ts";
export * from "./backfill-progress.ts";
export * from "./backfill-resweeps.ts";
export * from "./backfill-runs.ts";
export * from "./backfill-tally.ts";

import {
  alignDown,
  alignUp,
  gridWindows,
  type Logger,
  newWindow,
  type OutgoingMessage,
  oldestWindowStartMs,
  type QueueSender,
  replayMessageId,
  retentionLeewayMs,
  type TimeRange,
  type WindowLaneSenders,
  windowMessageId,
} from "@xdr-relay/core";
import { plannedResweeps, type ResweepSchedule, resweepMessage } from "./backfill-resweeps.ts";
import type { BackfillOrder } from "./backfill-runs.ts";

export interface BackfillRequest {
  readonly tenant: string;
  readonly queries: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly windowMs: number;
  readonly nowMs: number;
  /** The scheduler's late-arrival re-sweeps, which the range's recent windows get too. Absent: none. */
  readonly resweeps?: ResweepSchedule | undefined;
  /** The recorded run the windows belong to, named in each (`QueryWindow.run`); not in its re-sweeps. */
  readonly runId?: string | undefined;
  /** The order the windows are sent in; default `by-window` (a run recorded by an older version: `by-query`). */
  readonly order?: BackfillOrder | undefined;
}

export interface BackfillEnqueued {
  /** First-pass windows sent now, one per grid window and query. */
  readonly windows: number;
  /** Re-sweep passes scheduled for when they are due (see `plannedResweeps`). */
  readonly resweeps: number;
}

/** Refuses what cannot work, in words an operator can act on. Returns the problem or undefined. */
export function checkBackfill(r: BackfillRequest): string | undefined {
  if (!(r.fromMs < r.toMs)) return "--from must be before --to";
  if (r.toMs > r.nowMs) return "--to is in the future; the scheduler covers recent windows on its own";
  // The windows sent are the grid's: the last one ends at --to rounded up, and must be as settled
  // as the scheduler's own (lag), else it is fetched before its rows are all there.
  const lagMs = r.resweeps?.lagMs ?? 0;
  const lastEndMs = alignUp(r.toMs, r.windowMs);
  if (lastEndMs > r.nowMs - lagMs) {
    const latest = new Date(alignDown(r.nowMs - lagMs, r.windowMs)).toISOString();
    return `--to ends a window (at ${new Date(lastEndMs).toISOString()}) less than schedule.lagMs ago; the latest --to possible now is ${latest}, the scheduler covers the rest`;
  }
  // The first window starts at --from rounded down to the grid, and must still be inside the 30 days
  // when it is fetched: at the very edge it would fall out within minutes and be dead-lettered.
  const oldestMs = oldestWindowStartMs(r.nowMs, r.windowMs);
  if (alignDown(r.fromMs, r.windowMs) < oldestMs) {
    const oldest = new Date(oldestMs).toISOString();
    return `--from is older than Defender's 30 days of advanced-hunting data (less ${retentionLeewayMs / 60_000} minutes to fetch the first window in); the oldest start possible now is ${oldest}`;
  }
  return undefined;
}

/**
 * Enqueues every grid window of a past range, for each query (oldest window first, its queries
 * together: see `BackfillOrder`), in sends of `batchSize`, on the
 * backfill lane (`windows-backfill`), which the fetcher serves only while no live window waits.
 * Each backfill gets fresh message ids (a backfill is asked for on purpose; duplicate detection must
 * not swallow it because the scheduler sent the same window recently); rows stay de-duplicated.
 * The ids derive from `request.nowMs` and the windows are sent in a fixed order, so a second try
 * of the same run (same `nowMs`, `alreadySent` the windows its first try got out) sends only the
 * rest, and any it sends again are dropped as duplicates.
 * Then it schedules the late-arrival re-sweeps of the range's recent windows that are not due yet,
 * on the live lane under the ids the scheduler's own passes use (see `resweepMessage`): sent after
 * the first passes, so a crash in between leaves a backfill to ask for again, never re-sweeps without it.
 */
export async function enqueueBackfill(args: {
  request: BackfillRequest;
  /** `backfill` takes the windows, `live` the re-sweeps (the scheduler's passes; see `windowLane`). */
  lanes: WindowLaneSenders;
  logger: Logger;
  /** First-pass windows an earlier try of this run already sent: skipped. Default 0. */
  alreadySent?: number;
  /** After each send, with the windows sent so far (those skipped included) and the total; awaited. */
  onProgress?: (sent: number, total: number) => void | Promise<void>;
  batchSize?: number;
}): Promise<BackfillEnqueued> {
  const { request } = args;
  const ranges = gridWindows(request.fromMs, request.toMs, request.windowMs);
  const window = (query: string, range: TimeRange) =>
    newWindow({ tenant: request.tenant, query, range, origin: "backfill", run: request.runId });
  const bodies =
    request.order === "by-query"
      ? request.queries.flatMap((query) => ranges.map((range) => window(query, range)))
      : ranges.flatMap((range) => request.queries.map((query) => window(query, range)));
  const batchSize = args.batchSize ?? 500;
  const skipped = Math.min(Math.max(0, args.alreadySent ?? 0), bodies.length);
  await sendInBatches(
    args.lanes.backfill,
    bodies.slice(skipped).map((body) => ({ messageId: replayMessageId(windowMessageId(body), request.nowMs), body })),
    batchSize,
    (sent) => args.onProgress?.(skipped + sent, bodies.length),
  );
  const planned = request.resweeps ? plannedResweeps(ranges, request.resweeps, request.nowMs) : [];
  const resweeps = request.queries.flatMap((query) => planned.map((p) => resweepMessage(request.tenant, query, p)));
  await sendInBatches(args.lanes.live, resweeps, batchSize, () => undefined);
  args.logger.info("backfillEnqueued", {
    tenant: request.tenant,
    windows: bodies.length,
    ...(skipped > 0 && { alreadySent: skipped }),
    resweeps: resweeps.length,
  });
  return { windows: bodies.length, resweeps: resweeps.length };
}

async function sendInBatches(
  sender: QueueSender,
  messages: readonly OutgoingMessage[],
  batchSize: number,
  onSent: (sent: number) => void | Promise<void>,
): Promise<void> {
  for (let i = 0; i < messages.length; i += batchSize) {
    await sender.sendMessages(messages.slice(i, i + batchSize));
    await onSent(Math.min(i + batchSize, messages.length));
  }
}
