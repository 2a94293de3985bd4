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
    // Sequence numbers follow the batch's order. They are given here, not left to SQLite, so each
    // body row gets its message's number without reading it back.
    let seq = lastSequenceNumber(db);
    eachPiece(accepted, (piece) => {
      const messages: unknown[] = [];
      const bodies: unknown[] = [];
      for (const m of piece) {
        const availableAt = Math.max(now, m.scheduledAtMs ?? now);
        seq++;
        messages.push(seq, queue, m.messageId, availableAt, availableAt);
        bodies.push(seq, bodyTextOf(m, request.maxMessageBytes));
      }
      insertStatement(db, "queue_messages (seq, queue, message_id, enqueued_at, available_at)", 5, piece.length).run(...messages);
      insertStatement(db, "queue_bodies (seq, body)", 2, piece.length).run(...bodies);
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
 * Forgets at most `atMost` ids first seen at or before `expiredBefore`, oldest first: the history's
 * first rows (its rowid follows first-seen order). Twice a send's messages (and at least
 * `minForgottenPerSend`) outpaces what the send adds, so a backlog of expired ids drains over the
 * next sends while each stays short. When the oldest id has not expired, none has, and nothing is
 * read beyond it.
 */
function forgetExpired(db: SqliteDatabase, expiredBefore: number, atMost: number): void {
  const oldest = statement(db, "SELECT first_seen_at FROM queue_message_ids ORDER BY id LIMIT 1").raw(true).get() as
    | [number]
    | undefined;
  if (oldest === undefined || oldest[0] > expiredBefore) return;
  statement(
    db,
    `DELETE FROM queue_message_ids
     WHERE id IN (SELECT id FROM queue_message_ids ORDER BY id LIMIT ?) AND first_seen_at <= ?`,
  ).run(atMost, expiredBefore);
}

/** Expired ids forgotten per send at least: a small send still drains a backlog of them (0.1–0.3 s a send). */
const minForgottenPerSend = 10_000;

/**
 * Records the batch's ids in the duplicate history and returns the messages to enqueue: those
 * whose id was not in it, or was first seen at or before `expiredBefore` (still stored, not yet
 * forgotten: it counts as first seen now); each id's first occurrence only. The insert's
 * `RETURNING` returns only the rows it inserted, so an id remembered within the history (or
 * repeated in the batch) adds nothing and does not move its `first_seen_at`.
 */
function rememberFirstSeen(
  db: SqliteDatabase,
  queue: string,
  messages: readonly CheckedMessage[],
  now: number,
  expiredBefore: number,
): CheckedMessage[] {
  const fresh = new Set<string>();
  const remember = (ids: readonly string[]) =>
    eachPiece(ids, (piece) => {
      const values: unknown[] = [];
      for (const id of piece) values.push(queue, id, now);
      const sql = "queue_message_ids (queue, message_id, first_seen_at)";
      const inserted = insertStatement(db, sql, 3, piece.length, "", " ON CONFLICT DO NOTHING RETURNING message_id")
        .raw(true)
        .all(...values) as [string][];
      for (const [id] of inserted) fresh.add(id);
    });
  const ids = messages.map((m) => m.messageId);
  remember(ids);
  const seenBefore = [...new Set(ids.filter((id) => !fresh.has(id)))];
  remember(forgetExpiredAmong(db, queue, seenBefore, expiredBefore));
  // `delete` succeeds once per id: a repeat later in the batch is a duplicate of the first.
  return messages.filter((m) => fresh.delete(m.messageId));
}

/**
 * Of `ids`, all in the history, forgets those first seen at or before `expiredBefore` and returns
 * them, to be remembered anew at the end of the history (an update in place would leave them among
 * the oldest rows). Only a send's duplicates are looked up, so a fresh batch costs nothing.
 */
function forgetExpiredAmong(db: SqliteDatabase, queue: string, ids: readonly string[], expiredBefore: number): string[] {
  if (ids.length === 0) return [];
  const expired = statement(
    db,
    `DELETE FROM queue_message_ids
     WHERE queue = ? AND message_id IN (SELECT value FROM json_each(?)) AND first_seen_at <= ?
     RETURNING message_id`,
  )
    .raw(true)
    .all(queue, JSON.stringify(ids), expiredBefore) as [string][];
  // All are remembered as first seen now, so their order among themselves does not matter.
  return expired.map(([id]) => id);
}

/** The highest sequence number ever given (AUTOINCREMENT's record), 0 in a new file. */
function lastSequenceNumber(db: SqliteDatabase): number {
  const row = statement(db, "SELECT seq FROM sqlite_sequence WHERE name = 'queue_messages'").raw(true).get() as
    | [number]
    | undefined;
  return row?.[0] ?? 0;
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
