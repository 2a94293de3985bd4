import { inWriteTransaction, type SqliteDatabase, statement } from "./database.ts";
import { bodyTextOf, type CheckedMessage } from "./outgoing-message.ts";

export interface InsertRequest {
  readonly queue: string;
  readonly messages: readonly CheckedMessage[];
  readonly now: number;
  readonly maxMessageBytes: number;
  readonly duplicateDetectionHistoryMs: number;
}

/**
 * Enqueues a batch in one transaction: all messages or none. A message whose id was first seen
 * less than the history ago is dropped silently, as Service Bus does (a batch repeating an id
 * keeps only the first). The history counts from the first send, and a dropped copy does not
 * extend it.
 *
 * Ids older than the history are forgotten a bounded number per send (`forgetExpired`), not all
 * at once: after a quiet spell, or a week after a big backfill, a million of them were deleted in
 * one send, 2.5 s holding the write lock (bench `history`: 5.4 times the longest send with nothing
 * expired, now 1.3 times), and with it the process's event loop, the database being synchronous.
 * Whether an expired id still stored is seen again is decided where it is looked up instead
 * (`rememberFirstSeen`).
 *
 * Messages go in as multi-row `INSERT … VALUES (…), (…)` statements of up to `rowsPerStatement`
 * bound rows each, not one statement per message: with thousands of messages per send,
 * per-statement overhead (binding, stepping, resetting across the native boundary) cost more than
 * SQLite's own work. Bound values replaced one JSON text per batch (`json_each`): that text was
 * every body escaped once more (a few MB per send, built in JS, copied and parsed again by SQLite),
 * which cost time and the fetcher's peak memory.
 *
 * Bodies are serialised a statement's rows at a time, inside the transaction, not all before it:
 * a 5,000-message send's texts (~4 MB of alert rows) then never live at once, so they die young
 * instead of surviving into V8's old generation as garbage that piled up send after send. The
 * fetch bench's peak memory fell from ~3.7 to ~2.4 times the response, at the same rate. A body
 * that fails (too large, not JSON) still fails the whole batch with nothing written (the
 * transaction rolls back). Unlike Service Bus, a too-large copy of a message already sent is
 * dropped as a duplicate without being serialised, so a re-sweep does not serialise the rows it
 * finds again.
 */
export function insertMessages(db: SqliteDatabase, request: InsertRequest): { enqueued: number; duplicatesDropped: number } {
  const { queue, messages, now } = request;
  return inWriteTransaction(db, () => {
    const expiredBefore = now - request.duplicateDetectionHistoryMs;
    forgetExpired(db, expiredBefore, Math.max(minForgottenPerSend, 2 * messages.length));
    const accepted = rememberFirstSeen(db, queue, messages, now, expiredBefore);
    // Rows are inserted in array order, so sequence numbers follow the batch's order.
    eachPiece(accepted, (piece) => {
      const values: unknown[] = [];
      for (const m of piece) {
        const availableAt = Math.max(now, m.scheduledAtMs ?? now);
        values.push(queue, m.messageId, bodyTextOf(m, request.maxMessageBytes), availableAt, availableAt);
      }
      insertStatement(db, "queue_messages (queue, message_id, body, enqueued_at, available_at)", 5, piece.length).run(...values);
    });
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
 * Forgets at most `atMost` ids first seen at or before `expiredBefore`, oldest first. Twice a
 * send's messages (and at least `minForgottenPerSend`) outpaces what the send adds, so a backlog
 * of expired ids drains over the next sends while each stays short.
 */
function forgetExpired(db: SqliteDatabase, expiredBefore: number, atMost: number): void {
  statement(
    db,
    `DELETE FROM queue_message_ids WHERE (queue, message_id) IN
       (SELECT queue, message_id FROM queue_message_ids WHERE first_seen_at <= ? ORDER BY first_seen_at LIMIT ?)`,
  ).run(expiredBefore, atMost);
}

/** Expired ids forgotten per send at least: a small send still drains a backlog of them (0.1–0.3 s a send). */
const minForgottenPerSend = 10_000;

/**
 * Records the batch's ids in the duplicate history and returns the messages to enqueue: those
 * whose id was not in it, or was first seen at or before `expiredBefore` (still stored, not yet
 * forgotten: it counts as first seen now); each id's first occurrence only. The upsert's
 * `RETURNING` returns only the rows it inserted or renewed, so an id remembered within the
 * history (or repeated in the batch) adds nothing and does not move its `first_seen_at`.
 */
function rememberFirstSeen(
  db: SqliteDatabase,
  queue: string,
  messages: readonly CheckedMessage[],
  now: number,
  expiredBefore: number,
): CheckedMessage[] {
  const fresh = new Set<string>();
  const renewExpired =
    " ON CONFLICT (queue, message_id) DO UPDATE SET first_seen_at = excluded.first_seen_at" +
    " WHERE first_seen_at <= ? RETURNING message_id";
  eachPiece(messages, (piece) => {
    const values: unknown[] = [];
    for (const m of piece) values.push(queue, m.messageId, now);
    values.push(expiredBefore); // the last `?`, in the ON CONFLICT clause
    const sql = "queue_message_ids (queue, message_id, first_seen_at)";
    const inserted = insertStatement(db, sql, 3, piece.length, "", renewExpired)
      .raw(true)
      .all(...values) as [string][];
    for (const [id] of inserted) fresh.add(id);
  });
  // `delete` succeeds once per id: a repeat later in the batch is a duplicate of the first.
  return messages.filter((m) => fresh.delete(m.messageId));
}

/** Bound rows per statement: 500 × 5 values stays far under SQLite's limit of 32,766 variables. */
const rowsPerStatement = 500;

/**
 * Calls `insert` on consecutive pieces of `items`: whole pieces of `rowsPerStatement`, then the
 * rest in powers of two, so at most ~10 statement shapes are ever compiled per table.
 */
function eachPiece<T>(items: readonly T[], insert: (piece: readonly T[]) => void): void {
  let at = 0;
  while (at < items.length) {
    const left = items.length - at;
    const size = left >= rowsPerStatement ? rowsPerStatement : 2 ** Math.floor(Math.log2(left));
    insert(items.slice(at, at + size));
    at += size;
  }
}

/** `INSERT <or> INTO <target> VALUES (?, …), … <returning>` for `rows` rows of `columns` values, compiled once. */
function insertStatement(db: SqliteDatabase, target: string, columns: number, rows: number, or = "", returning = "") {
  const row = `(${Array(columns).fill("?").join(", ")})`;
  return statement(db, `INSERT ${or} INTO ${target} VALUES ${Array(rows).fill(row).join(", ")}${returning}`);
}
