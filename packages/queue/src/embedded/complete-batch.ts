import type { MessageLockLostError } from "../errors.ts";
import { type SqliteDatabase, statement } from "./database.ts";
import { type LockRef, lockLost } from "./lock-ref.ts";

/**
 * Completes many messages with two statements: each row is deleted only if its lock is still held
 * (same delivery token, not expired at the time that complete was asked for), the check
 * `requireLock` makes for a single settlement. Returns, for each ref in order, undefined when
 * completed or the MessageLockLostError to report for it. Must run inside a write transaction (the
 * settle batch's), so nothing changes between reading the locks and deleting.
 *
 * Equivalent to completing them one by one in order: a complete touches only its own row, so the
 * only interaction is the same delivery completed twice, where the first wins and the second finds
 * the lock gone.
 *
 * The locks are read by sequence number and checked here: one statement that matched each ref's
 * four values inside SQLite (extracted from JSON, per row) cost about as much again as the delete.
 */
export function completeAll(db: SqliteDatabase, refs: readonly LockRef[]): (MessageLockLostError | undefined)[] {
  const seqs = JSON.stringify(refs.map((r) => r.seq));
  const rows = statement(
    db,
    "SELECT seq, queue, lock_token, available_at FROM queue_messages WHERE seq IN (SELECT value FROM json_each(?))",
  )
    .raw(true)
    .all(seqs) as HeldLock[];
  const locks = new Map(rows.map((row) => [row[0], row]));
  const deleting: number[] = [];
  const errors = refs.map((ref) => {
    const lock = locks.get(ref.seq);
    if (lock === undefined || lock[1] !== ref.entity || lock[2] !== ref.lockToken || lock[3] <= ref.now) return lockLost(ref);
    // A second complete of the same delivery in this batch finds the lock gone, as it would alone.
    locks.delete(ref.seq);
    deleting.push(ref.seq);
    return undefined;
  });
  if (deleting.length > 0) {
    const completed = JSON.stringify(deleting);
    statement(db, "DELETE FROM queue_messages WHERE seq IN (SELECT value FROM json_each(?))").run(completed);
    // The only place a message leaves the file, so the only place its body is deleted.
    statement(db, "DELETE FROM queue_bodies WHERE seq IN (SELECT value FROM json_each(?))").run(completed);
  }
  return errors;
}

/** seq, queue, lock_token, available_at. */
type HeldLock = readonly [number, string, string | null, number];
