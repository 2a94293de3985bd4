import { randomUUID } from "node:crypto";
import { inWriteTransaction, type SqliteDatabase, statement } from "./database.ts";
import { moveExhausted } from "./dead-letter-move.ts";
import { isDeadLetterPath } from "./entity.ts";
import { type EmbeddedReceivedMessage, type MessageRow, messageColumns, toReceivedMessage } from "./message-row.ts";
import type { QueueMovedLetter } from "./options.ts";

export interface TakeRequest {
  readonly entity: string;
  readonly maxMessageCount: number;
  readonly now: number;
  readonly lockDurationMs: number;
  readonly maxDeliveryCount: number;
}

/** What a take locked for the receiver, and what it dead-lettered on the way (exhausted messages). */
export interface Taken {
  readonly messages: EmbeddedReceivedMessage[];
  readonly moved: QueueMovedLetter[];
}

/**
 * Peek-locks up to `maxMessageCount` receivable messages in sequence order. The select and the
 * lock happen under one write lock (BEGIN IMMEDIATE), so no two receivers, in this process or
 * another, can lock the same message. Each lock gets a fresh token: a receiver whose lock expired
 * cannot settle the message after someone else received it again.
 *
 * A due message already delivered `maxDeliveryCount` times (its last lock expired) is
 * dead-lettered instead of delivered once more, as Service Bus does. The DLQ has no such limit.
 */
export function takeMessages(db: SqliteDatabase, request: TakeRequest): Taken {
  return inWriteTransaction(
    db,
    () => {
      // Draining a backlog, the first statement takes the whole batch. Fewer: the queue holds fewer
      // due messages, or some due ones are exhausted, which the careful path below dead-letters.
      const taken = lockFirstDue(db, request);
      if (taken.length === request.maxMessageCount) return { messages: taken, moved: [] };
      const rest = takeCarefully(db, { ...request, maxMessageCount: request.maxMessageCount - taken.length });
      return { messages: taken.concat(rest.messages), moved: rest.moved };
    },
    "redelivery",
  );
}

/**
 * What a delivery writes: a fresh lock token (one random value per statement, `?1`, plus the
 * sequence number: unique per delivery), the lock's end (`?2`) as the row's availability, and one
 * more delivery.
 */
const lockRow = "SET lock_token = ?1 || '.' || seq, available_at = ?2, delivery_count = delivery_count + 1";

/**
 * Locks, in one statement, the messages among the first `maxMessageCount` due ones that are not
 * exhausted (it skips those, leaving them due for `takeCarefully`). Every message it skips comes
 * before any message `takeCarefully` then locks, so the receiver still gets sequence order.
 */
function lockFirstDue(db: SqliteDatabase, request: TakeRequest): EmbeddedReceivedMessage[] {
  const { entity, now, maxMessageCount } = request;
  const deliveriesAllowed = isDeadLetterPath(entity) ? Number.MAX_SAFE_INTEGER : request.maxDeliveryCount;
  const rows = statement(
    db,
    `UPDATE queue_messages ${lockRow}
     WHERE seq IN (SELECT seq FROM queue_messages INDEXED BY queue_messages_by_queue
                   WHERE queue = ?3 AND available_at <= ?4 ORDER BY seq LIMIT ?5)
       AND delivery_count < ?6
     RETURNING ${messageColumns}`,
  )
    .raw(true)
    .all(randomUUID(), now + request.lockDurationMs, entity, now, maxMessageCount, deliveriesAllowed) as MessageRow[];
  return inSequenceOrder(rows);
}

/** Takes due messages one selection at a time, dead-lettering the exhausted ones it meets. */
function takeCarefully(db: SqliteDatabase, request: TakeRequest): Taken {
  const { entity, now, maxDeliveryCount } = request;
  const limited = !isDeadLetterPath(entity);
  // Walk the queue in sequence order and stop after enough due rows: cost follows the batch size
  // (plus locked or scheduled rows ahead of them), not the backlog. Left to itself the planner
  // picks the availability index and sorts every due row instead.
  const selectDue = statement(
    db,
    `SELECT seq, delivery_count, message_id FROM queue_messages INDEXED BY queue_messages_by_queue
     WHERE queue = ? AND available_at <= ? ORDER BY seq LIMIT ?`,
  ).raw(true);
  const taken: EmbeddedReceivedMessage[] = [];
  const moved: QueueMovedLetter[] = [];
  // Loops only while exhausted messages were moved out of the way: each pass shrinks the set.
  for (let exhausted = 1; exhausted > 0 && taken.length < request.maxMessageCount; ) {
    exhausted = 0;
    const due = selectDue.all(entity, now, request.maxMessageCount - taken.length) as [number, number, string][];
    const toLock: number[] = [];
    for (const [seq, deliveryCount, messageId] of due) {
      if (limited && deliveryCount >= maxDeliveryCount) {
        moved.push(moveExhausted(db, { queue: entity, seq, messageId, now, deliveryCount }));
        exhausted++;
      } else {
        toLock.push(seq);
      }
    }
    taken.push(...lockAll(db, toLock, now + request.lockDurationMs));
  }
  return { messages: taken, moved };
}

/**
 * Locks the given messages in one statement (one per message cost more than the locking itself).
 * A receiver whose lock expired cannot settle the message once it was delivered again (`lockRow`).
 */
function lockAll(db: SqliteDatabase, seqs: readonly number[], lockedUntil: number): EmbeddedReceivedMessage[] {
  if (seqs.length === 0) return [];
  const rows = statement(
    db,
    `UPDATE queue_messages ${lockRow}
     WHERE seq IN (SELECT value FROM json_each(?3)) RETURNING ${messageColumns}`,
  )
    .raw(true)
    .all(randomUUID(), lockedUntil, JSON.stringify(seqs)) as MessageRow[];
  return inSequenceOrder(rows);
}

/** RETURNING promises no order; receivers get sequence order. */
function inSequenceOrder(rows: MessageRow[]): EmbeddedReceivedMessage[] {
  return rows.sort((a, b) => a[0] - b[0]).map((row) => toReceivedMessage(row, true));
}

/** When the next message of `entity` becomes receivable (now, if one already is); undefined when empty. */
export function nextAvailableAt(db: SqliteDatabase, entity: string): number | undefined {
  const row = statement(db, "SELECT MIN(available_at) AS at FROM queue_messages WHERE queue = ?").get(entity) as {
    at: number | null;
  };
  return row.at ?? undefined;
}
