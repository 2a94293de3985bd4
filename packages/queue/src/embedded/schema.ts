import type { SqliteDatabase } from "./database.ts";
import { inWriteTransaction } from "./database.ts";
import { claimFileVersion } from "./file-version.ts";

/**
 * One table holds every message of every queue and dead-letter subqueue; `queue` is the entity
 * path (`rows`, `rows/$deadletterqueue`), so dead-lettering is an UPDATE that keeps the row intact.
 *
 * - `seq` is the sequence number: AUTOINCREMENT never reuses one, and receive order is `seq` order.
 * - `available_at` is the instant from which the message may be delivered: its scheduled time, or
 *   the end of its current lock. One column for both keeps "receivable" a single range test, and a
 *   lock that expires needs no sweeper: the row simply becomes receivable again.
 * - `lock_token` is set on each delivery and cleared on abandon; settling must present it while
 *   `available_at` is still in the future, otherwise the lock is lost.
 */
const ddl = `
CREATE TABLE IF NOT EXISTS queue_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  body TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL DEFAULT 0,
  lock_token TEXT,
  dead_letter_reason TEXT,
  dead_letter_description TEXT
);
CREATE INDEX IF NOT EXISTS queue_messages_by_queue ON queue_messages (queue, seq);
CREATE INDEX IF NOT EXISTS queue_messages_by_availability ON queue_messages (queue, available_at);

CREATE TABLE IF NOT EXISTS queue_message_ids (
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (queue, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS queue_message_ids_by_age ON queue_message_ids (first_seen_at);

CREATE TABLE IF NOT EXISTS queue_counters (
  queue TEXT PRIMARY KEY,
  duplicates_dropped INTEGER NOT NULL DEFAULT 0
);
`;

export function ensureQueueSchema(db: SqliteDatabase, path: string): void {
  // Several processes may open a new file at once: the write lock makes the DDL run once.
  inWriteTransaction(db, () => {
    claimFileVersion(db, path);
    db.exec(ddl);
  });
}
