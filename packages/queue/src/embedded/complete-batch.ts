import type { MessageLockLostError } from "../errors.ts";
import { type SqliteDatabase, statement } from "./database.ts";
import { type LockRef, lockLost } from "./lock-ref.ts";

/**
 * Completes many messages in one statement: each row is deleted only if its lock is still held
 * (same delivery token, not expired at the time that complete was asked for), the check
 * `requireLock` makes for a single settlement. Returns, for each ref in order, undefined when
 * completed or the MessageLockLostError to report for it.
 *
 * Equivalent to completing them one by one in order: a complete touches only its own row, so the
 * only interaction is the same delivery completed twice, where the first wins and the second finds
 * the lock gone.
 */
export function completeAll(db: SqliteDatabase, refs: readonly LockRef[]): (MessageLockLostError | undefined)[] {
  const deleted = statement(
    db,
    `DELETE FROM queue_messages WHERE seq IN (
       SELECT m.seq FROM json_each(?) AS j JOIN queue_messages AS m ON m.seq = j.value ->> 0
       WHERE m.queue = j.value ->> 1 AND m.lock_token = j.value ->> 2 AND m.available_at > j.value ->> 3)
     RETURNING seq, lock_token`,
  )
    .raw(true)
    .all(JSON.stringify(refs.map((r) => [r.seq, r.entity, r.lockToken, r.now]))) as [number, string][];
  // Keyed by delivery, not row: an expired holder and the current one may complete the same row in
  // one batch, and only the one whose token matched succeeded.
  const completed = new Set(deleted.map(([seq, token]) => `${seq}|${token}`));
  // `delete` succeeds once per delivery: a second complete of the same delivery lost its lock.
  return refs.map((ref) => (completed.delete(`${ref.seq}|${ref.lockToken}`) ? undefined : lockLost(ref)));
}
