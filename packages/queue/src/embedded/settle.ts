import type { DeadLetterDetails } from "@xdr-relay/core";
import { inWriteTransaction, type SqliteDatabase, statement } from "./database.ts";
import { moveExhausted, moveToDeadLetter } from "./dead-letter-move.ts";
import { isDeadLetterPath } from "./entity.ts";
import { type LockRef, lockLost } from "./lock-ref.ts";
import type { QueueMovedLetter } from "./options.ts";

/**
 * Every settlement first proves the lock is still held: same delivery token and not expired.
 * Otherwise the message may already be locked by another receiver, and settling it would take
 * its outcome away from that receiver.
 */
function requireLock(db: SqliteDatabase, ref: LockRef): { deliveryCount: number } {
  const row = statement(
    db,
    "SELECT delivery_count FROM queue_messages WHERE seq = ? AND queue = ? AND lock_token = ? AND available_at > ?",
  ).get(ref.seq, ref.entity, ref.lockToken, ref.now) as { delivery_count: number } | undefined;
  if (row === undefined) throw lockLost(ref);
  return { deliveryCount: row.delivery_count };
}

/**
 * Releases the lock for immediate redelivery. The abandon that uses up the last allowed delivery
 * dead-letters the message instead (as Service Bus does), and says so; undefined otherwise.
 */
export function abandonLocked(db: SqliteDatabase, ref: LockRef, maxDeliveryCount: number): QueueMovedLetter | undefined {
  return inWriteTransaction(
    db,
    () => {
      const { deliveryCount } = requireLock(db, ref);
      if (!isDeadLetterPath(ref.entity) && deliveryCount >= maxDeliveryCount) {
        const { entity: queue, seq, messageId, now } = ref;
        return moveExhausted(db, { queue, seq, messageId, now, deliveryCount });
      }
      statement(db, "UPDATE queue_messages SET lock_token = NULL, available_at = ? WHERE seq = ?").run(ref.now, ref.seq);
      return undefined;
    },
    "redelivery",
  );
}

export function deadLetterLocked(db: SqliteDatabase, ref: LockRef, details: DeadLetterDetails): void {
  if (isDeadLetterPath(ref.entity)) {
    throw new TypeError(`message ${ref.messageId} is already dead-lettered: complete it, or replay it to its queue`);
  }
  inWriteTransaction(
    db,
    () => {
      requireLock(db, ref);
      const { deadLetterReason: reason, deadLetterErrorDescription: description } = details;
      moveToDeadLetter(db, { queue: ref.entity, seq: ref.seq, now: ref.now, reason, description });
    },
    "redelivery",
  );
}

/** Extends the lock by a full lock duration from now; returns the new expiry. */
export function renewLocked(db: SqliteDatabase, ref: LockRef, lockDurationMs: number): number {
  return inWriteTransaction(
    db,
    () => {
      requireLock(db, ref);
      const lockedUntil = ref.now + lockDurationMs;
      statement(db, "UPDATE queue_messages SET available_at = ? WHERE seq = ?").run(lockedUntil, ref.seq);
      return lockedUntil;
    },
    "redelivery",
  );
}
