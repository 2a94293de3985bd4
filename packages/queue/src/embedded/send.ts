import { inWriteTransaction, type SqliteDatabase, statement } from "./database.ts";
import type { EncodedMessage } from "./outgoing-message.ts";

export interface InsertRequest {
  readonly queue: string;
  readonly messages: readonly EncodedMessage[];
  readonly now: number;
  readonly duplicateDetectionHistoryMs: number;
}

/**
 * Enqueues a batch in one transaction: all messages or none. A message whose id was first seen
 * less than the history ago is dropped silently, as Service Bus does (a batch repeating an id
 * keeps only the first). The history counts from the first send, and a dropped copy does not
 * extend it.
 *
 * The batch travels as one JSON text per statement (`json_each`), not one statement per message:
 * with thousands of messages per send, per-statement overhead (binding, stepping, resetting across
 * the native boundary) cost more than SQLite's own work.
 */
export function insertMessages(db: SqliteDatabase, request: InsertRequest): { enqueued: number; duplicatesDropped: number } {
  const { queue, messages, now } = request;
  return inWriteTransaction(db, () => {
    // Forget ids older than the history first, so INSERT OR IGNORE below means "seen recently".
    statement(db, "DELETE FROM queue_message_ids WHERE first_seen_at <= ?").run(now - request.duplicateDetectionHistoryMs);
    const accepted = rememberFirstSeen(db, queue, messages, now);
    if (accepted.length > 0) {
      // Rows are inserted in array order, so sequence numbers follow the batch's order.
      statement(
        db,
        `INSERT INTO queue_messages (queue, message_id, body, enqueued_at, available_at)
         SELECT ?1, value ->> 0, value ->> 1, max(?2, coalesce(value ->> 2, ?2)), max(?2, coalesce(value ->> 2, ?2))
         FROM json_each(?3)`,
      ).run(queue, now, JSON.stringify(accepted.map((m) => [m.messageId, m.bodyText, m.scheduledAtMs ?? null])));
    }
    const duplicatesDropped = messages.length - accepted.length;
    if (duplicatesDropped > 0) {
      statement(
        db,
        `INSERT INTO queue_counters (queue, duplicates_dropped) VALUES (?, ?)
         ON CONFLICT (queue) DO UPDATE SET duplicates_dropped = duplicates_dropped + excluded.duplicates_dropped`,
      ).run(queue, duplicatesDropped);
    }
    return { enqueued: accepted.length, duplicatesDropped };
  });
}

/**
 * Records the batch's ids in the duplicate history and returns the messages to enqueue: those
 * whose id was not in it, each id's first occurrence only. `INSERT OR IGNORE ... RETURNING`
 * returns only the rows it inserted, so an id already remembered (or repeated) adds nothing and
 * does not move its `first_seen_at`.
 */
function rememberFirstSeen(
  db: SqliteDatabase,
  queue: string,
  messages: readonly EncodedMessage[],
  now: number,
): EncodedMessage[] {
  const inserted = statement(
    db,
    `INSERT OR IGNORE INTO queue_message_ids (queue, message_id, first_seen_at)
     SELECT ?, value, ? FROM json_each(?) RETURNING message_id`,
  )
    .raw(true)
    .all(queue, now, JSON.stringify(messages.map((m) => m.messageId))) as [string][];
  const fresh = new Set(inserted.map(([id]) => id));
  // `delete` succeeds once per id: a repeat later in the batch is a duplicate of the first.
  return messages.filter((m) => fresh.delete(m.messageId));
}
