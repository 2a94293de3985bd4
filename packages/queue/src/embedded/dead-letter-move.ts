import { type SqliteDatabase, statement } from "./database.ts";
import { deadLetterPath } from "./entity.ts";
import type { QueueMovedLetter } from "./options.ts";

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

/** `moveToDeadLetter` for a message delivered `deliveryCount` times and never settled; says what moved. */
export function moveExhausted(
  db: SqliteDatabase,
  move: { queue: string; seq: number; messageId: string; now: number; deliveryCount: number },
): QueueMovedLetter {
  const letter = {
    queue: move.queue,
    messageId: move.messageId,
    reason: "MaxDeliveryCountExceeded",
    description: maxDeliveryDescription(move.deliveryCount),
  } as const;
  moveToDeadLetter(db, { ...move, reason: letter.reason, description: letter.description });
  return letter;
}

/** Service Bus's wording, so operators see the same text from either backend. */
export function maxDeliveryDescription(deliveryCount: number): string {
  return `Message could not be consumed after ${deliveryCount} delivery attempts.`;
}
