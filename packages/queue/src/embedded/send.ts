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
 */
export function insertMessages(db: SqliteDatabase, request: InsertRequest): { enqueued: number; duplicatesDropped: number } {
  const { queue, messages, now } = request;
  return inWriteTransaction(db, () => {
    // Forget ids older than the history first, so INSERT OR IGNORE below means "seen recently".
    statement(db, "DELETE FROM queue_message_ids WHERE first_seen_at <= ?").run(now - request.duplicateDetectionHistoryMs);
    const remember = statement(db, "INSERT OR IGNORE INTO queue_message_ids (queue, message_id, first_seen_at) VALUES (?, ?, ?)");
    const insert = statement(
      db,
      "INSERT INTO queue_messages (queue, message_id, body, enqueued_at, available_at) VALUES (?, ?, ?, ?, ?)",
    );
    let duplicatesDropped = 0;
    for (const m of messages) {
      if (remember.run(queue, m.messageId, now).changes === 0) {
        duplicatesDropped++;
        continue;
      }
      const availableAt = Math.max(now, m.scheduledAtMs ?? now);
      insert.run(queue, m.messageId, m.bodyText, availableAt, availableAt);
    }
    if (duplicatesDropped > 0) {
      statement(
        db,
        `INSERT INTO queue_counters (queue, duplicates_dropped) VALUES (?, ?)
         ON CONFLICT (queue) DO UPDATE SET duplicates_dropped = duplicates_dropped + excluded.duplicates_dropped`,
      ).run(queue, duplicatesDropped);
    }
    return { enqueued: messages.length - duplicatesDropped, duplicatesDropped };
  });
}
