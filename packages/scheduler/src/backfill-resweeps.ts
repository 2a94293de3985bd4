import { newWindow, type OutgoingMessage, QueryWindow, type TimeRange, windowMessageId } from "@xdr-relay/core";

/** The scheduler's re-sweep settings a backfill follows: `schedule.lagMs` and `schedule.resweepOffsetsMs`. */
export interface ResweepSchedule {
  readonly lagMs: number;
  readonly offsetsMs: readonly number[];
}

/** One re-sweep pass (`sweep` ≥ 1) of one grid window, and the moment it is due. */
export interface PlannedResweep {
  readonly range: TimeRange;
  readonly sweep: number;
  readonly dueMs: number;
}

/**
 * When re-sweep pass `sweep` of a window is due: its end plus the lag plus that pass's offset, the
 * moment the scheduler's own pass would enqueue it (`dueWindows` takes a window once it ended at
 * least lag + offset ago).
 */
export function resweepDueMs(endMs: number, schedule: ResweepSchedule, sweep: number): number {
  const offsetMs = schedule.offsetsMs[sweep - 1];
  if (offsetMs === undefined) throw new RangeError(`no re-sweep pass ${sweep}: ${schedule.offsetsMs.length} offsets configured`);
  return endMs + schedule.lagMs + offsetMs;
}

/**
 * The re-sweeps a backfill of `ranges` must schedule at `nowMs`: each pass of each window that is
 * due later than now. A pass already due needs nothing: the backfill itself fetches the window
 * now or later, after the rows that pass was waiting for arrived. So a window that ended 2 h ago
 * gets its +24 h pass but not its +1 h one; a window of last week gets none.
 */
export function plannedResweeps(ranges: readonly TimeRange[], schedule: ResweepSchedule, nowMs: number): PlannedResweep[] {
  return schedule.offsetsMs.flatMap((_, i) =>
    ranges.flatMap((range) => {
      const dueMs = resweepDueMs(range.endMs, schedule, i + 1);
      return dueMs > nowMs ? [{ range, sweep: i + 1, dueMs }] : [];
    }),
  );
}

/**
 * The scheduled message of one planned re-sweep. Why no row lands twice, and no window is fetched
 * twice for one pass, although the scheduler may plan the same pass:
 * - The message id is the one the scheduler's own pass gives the window (`windowMessageId` with
 *   the sweep). Where the scheduler covers the window too (windows after its pinned origin), its
 *   send at the due moment comes at most lag + offset after ours; Service Bus checks a scheduled
 *   message's id when it is sent, so with `queue.duplicateDetectionHistoryMs` at least that long
 *   (default 7 days against 24 h 10 min) the scheduler's copy is dropped. Two backfills of
 *   overlapping ranges collapse the same way. The scheduler's checkpoints are neither read nor
 *   written: its passes advance exactly as before.
 * - With a shorter history both copies are accepted: the window is fetched twice around its due
 *   moment. That costs a call, not a row: every row's message id is its `rowId`, so the second
 *   fetch's rows are dropped by the rows queue's own duplicate detection, which re-sweeps need
 *   anyway (history > lag + the last offset, the condition for the scheduler's re-sweeps too, which
 *   the configuration enforces).
 */
export function resweepMessage(tenant: string, query: string, planned: PlannedResweep): OutgoingMessage {
  const body = newWindow({ tenant, query, range: planned.range, origin: "resweep", sweep: planned.sweep });
  return { messageId: windowMessageId(body), body, scheduledEnqueueTimeUtc: new Date(planned.dueMs) };
}

/**
 * Whether a queued window message is a re-sweep pass under its own pass id (not a retry copy or a
 * split half of one). Scheduled, it is work for later: `run --until-idle` does not wait for it, as
 * it does not wait for the scheduler's re-sweeps that are not due yet.
 */
export function isResweepPass(message: { readonly messageId: string; readonly body: unknown }): boolean {
  const parsed = QueryWindow.safeParse(message.body);
  return (
    parsed.success &&
    parsed.data.origin === "resweep" &&
    parsed.data.sweep >= 1 &&
    message.messageId === windowMessageId(parsed.data)
  );
}
