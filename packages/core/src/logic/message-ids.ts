import { type QueryWindow, windowId } from "../contracts/query-window.ts";
import { shortHash } from "./row-id.ts";

/**
 * Queue message ids. Service Bus drops a send whose id it saw within its duplicate-detection
 * history, silently, so ids must be equal exactly when the messages are the same:
 * - a window pass: same window and same sweep → same id (two schedulers enqueueing it collapse);
 * - a retry copy: a new id per attempt and due time (else the copy would be dropped);
 * - a row: its `rowId` (a re-sweep that finds it again is dropped).
 * Hashed because `messageId` is limited to 128 characters.
 */
export function windowMessageId(w: Pick<QueryWindow, "tenant" | "query" | "start" | "end" | "sweep">): string {
  return `w-${shortHash(`${windowId(w)}|sweep=${w.sweep}`)}`;
}

/**
 * A half of a split window: its pass id, and for a backfill's window also its run. Redelivered, a
 * window splits into the same halves (the copies collapse); but a second backfill over a range
 * whose windows an earlier run split (within the duplicate history) must get halves of its own,
 * or they are dropped as that run's and the range is never fetched (its windows complete anyway).
 */
export function halfMessageId(w: Pick<QueryWindow, "tenant" | "query" | "start" | "end" | "sweep" | "run">): string {
  if (w.run === undefined) return windowMessageId(w);
  return `w-${shortHash(`${windowId(w)}|sweep=${w.sweep}|run=${w.run}`)}`;
}

export function retryMessageId(originalId: string, attempt: number, notBeforeMs: number): string {
  return `r-${shortHash(`${originalId}|attempt=${attempt}|at=${notBeforeMs}`)}`;
}

/** A replayed dead letter must not be mistaken for the original still in the history window. */
export function replayMessageId(originalId: string, replayedAtMs: number): string {
  return `p-${shortHash(`${originalId}|replay=${replayedAtMs}`)}`;
}
