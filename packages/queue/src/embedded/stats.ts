import { type SqliteDatabase, statement } from "./database.ts";
import { deadLetterPath } from "./entity.ts";

/** A queue's counts at one instant, for `xdr-relay status` and tests. */
export interface QueueStats {
  /** Receivable now (including messages whose lock expired). */
  readonly active: number;
  /** Waiting for their `scheduledEnqueueTimeUtc`. */
  readonly scheduled: number;
  /** Held by a receiver whose lock has not expired. */
  readonly locked: number;
  readonly deadLettered: number;
  /** Sends dropped by duplicate detection since the file was created. */
  readonly duplicatesDropped: number;
}

/**
 * Reads the counts and writes nothing: `xdr-relay status` and `dlq list` run beside the relay, with
 * a configuration that may not be the relay's. A due message already delivered `maxDeliveryCount`
 * times counts as dead-lettered (the next receive moves it there); moving it here made a read-only
 * command dead-letter messages, by the reader's limit rather than the relay's.
 */
export function readStats(db: SqliteDatabase, queue: string, now: number, maxDeliveryCount: number): QueueStats {
  const exhausted = "queue = @queue AND available_at <= @now AND delivery_count >= @max";
  const counts = statement(
    db,
    `SELECT
       COALESCE(SUM(queue = @queue AND available_at <= @now AND delivery_count < @max), 0) AS active,
       COALESCE(SUM(queue = @queue AND available_at > @now AND lock_token IS NULL), 0) AS scheduled,
       COALESCE(SUM(queue = @queue AND available_at > @now AND lock_token IS NOT NULL), 0) AS locked,
       COALESCE(SUM(queue = @dlq OR (${exhausted})), 0) AS deadLettered
     FROM queue_messages WHERE queue IN (@queue, @dlq)`,
  ).get({ queue, dlq: deadLetterPath(queue), now, max: maxDeliveryCount }) as Omit<QueueStats, "duplicatesDropped">;
  const dropped = statement(db, "SELECT duplicates_dropped AS n FROM queue_counters WHERE queue = ?").get(queue) as
    | { n: number }
    | undefined;
  return {
    active: counts.active,
    scheduled: counts.scheduled,
    locked: counts.locked,
    deadLettered: counts.deadLettered,
    duplicatesDropped: dropped?.n ?? 0,
  };
}
