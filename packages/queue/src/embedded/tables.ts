/** Each message's body, under its sequence number (see `queueTables`). */
export const bodiesTable = `
CREATE TABLE IF NOT EXISTS queue_bodies (
  seq INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);
`;

/** The duplicate history, its rowid in first-seen order (see `queueTables`). */
export const historyTable = `
CREATE TABLE IF NOT EXISTS queue_message_ids (
  id INTEGER PRIMARY KEY,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS queue_message_ids_by_message ON queue_message_ids (queue, message_id);
`;

/**
 * The queue's tables (data file layout 2; `layout-migration.ts` turns layout 1 into it).
 *
 * `queue_messages` holds every message of every queue and dead-letter subqueue; `queue` is the
 * entity path (`rows`, `rows/$deadletterqueue`), so dead-lettering is an UPDATE that keeps the row.
 * - `seq` is the sequence number: AUTOINCREMENT never reuses one, and receive order is `seq` order.
 * - `available_at` is the instant from which the message may be delivered: its scheduled time, or
 *   the end of its current lock. One column for both keeps "receivable" a single range test, and a
 *   lock that expires needs no sweeper: the row simply becomes receivable again.
 * - `lock_token` is set on each delivery and cleared on abandon; settling must present it while
 *   `available_at` is still in the future, otherwise the lock is lost.
 *
 * `queue_bodies` holds each message's body under its `seq`, written once and deleted with the
 * message (`completeAll`). Apart, because SQLite rewrites a whole row to change one column: with
 * the ~1.3 KB body in it, every lock, renewal and abandon rewrote the body too: a receive cost
 * ~36 µs a message, ~22 with small rows (bench `queue`, receive).
 *
 * `queue_message_ids` is the duplicate history. Its rowid follows first-seen order (an expired id
 * seen again is deleted and inserted anew, never updated in place), so the oldest ids are the
 * first rows and expiry needs no index of its own (that index cost ~10 of the ~40 µs a send spent
 * on a message).
 */
export const queueTables = `
CREATE TABLE IF NOT EXISTS queue_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL DEFAULT 0,
  lock_token TEXT,
  dead_letter_reason TEXT,
  dead_letter_description TEXT
);
CREATE INDEX IF NOT EXISTS queue_messages_by_queue ON queue_messages (queue, seq);
CREATE INDEX IF NOT EXISTS queue_messages_by_availability ON queue_messages (queue, available_at);

${bodiesTable}
${historyTable}
CREATE TABLE IF NOT EXISTS queue_counters (
  queue TEXT PRIMARY KEY,
  duplicates_dropped INTEGER NOT NULL DEFAULT 0
);
`;
