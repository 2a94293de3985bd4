import { type SqliteDatabase, statement } from "./database.ts";
import { deadLetterPath } from "./entity.ts";

/**
 * Moves one message to its queue's dead-letter subqueue, body and id intact. The row keeps its
 * sequence number and delivery count; the DLQ has no delivery limit and nothing in it expires.
 */
export function moveToDeadLetter(
  db: SqliteDatabase,
  move: { queue: string; seq: number; now: number; reason: string; description: string },
): void {
  statement(
    db,
    `UPDATE queue_messages SET queue = ?, lock_token = NULL, available_at = ?,
       dead_letter_reason = ?, dead_letter_description = ?
     WHERE seq = ?`,
  ).run(deadLetterPath(move.queue), move.now, move.reason, move.description, move.seq);
}

/** Service Bus's wording, so operators see the same text from either backend. */
export function maxDeliveryDescription(deliveryCount: number): string {
  return `Message could not be consumed after ${deliveryCount} delivery attempts.`;
}

/**
 * Dead-letters the receivable messages that were already delivered `maxDeliveryCount` times
 * (their last lock expired): Service Bus does this instead of delivering them once more.
 * Returns how many moved.
 */
export function deadLetterExhausted(db: SqliteDatabase, queue: string, now: number, maxDeliveryCount: number): number {
  const rows = statement(
    db,
    "SELECT seq, delivery_count FROM queue_messages WHERE queue = ? AND available_at <= ? AND delivery_count >= ?",
  ).all(queue, now, maxDeliveryCount) as { seq: number; delivery_count: number }[];
  for (const row of rows) {
    const description = maxDeliveryDescription(row.delivery_count);
    moveToDeadLetter(db, { queue, seq: row.seq, now, reason: "MaxDeliveryCountExceeded", description });
  }
  return rows.length;
}
