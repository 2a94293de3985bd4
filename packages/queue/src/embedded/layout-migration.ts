import type { SqliteDatabase } from "./database.ts";

/**
 * Turns a layout 1 file's queue tables into layout 2 (`schema.ts`), keeping every message (its
 * sequence number, locks, delivery count and dead-letter details) and every remembered id. Runs
 * inside the write transaction that claims the file, so it happens once and whole, and a file
 * half migrated cannot exist. A file without the layout 1 tables (new, or checkpoints only) needs
 * nothing.
 *
 * The history is copied oldest first, so its new rowids follow first-seen order as layout 2 needs.
 * Takes ~3 s per 100,000 messages (with as many ids) on a 2-core VM, so `announce` is told first
 * what is about to happen when there is anything to convert.
 */
export function migrateLayout1(db: SqliteDatabase, announce?: (what: string) => void): void {
  const oldBodies = columnsOf(db, "queue_messages").includes("body");
  const history = columnsOf(db, "queue_message_ids");
  const oldHistory = history.length > 0 && !history.includes("id");
  if (announce !== undefined && (oldBodies || oldHistory)) {
    const messages = oldBodies ? countOf(db, "queue_messages") : 0;
    const ids = oldHistory ? countOf(db, "queue_message_ids") : 0;
    announce(
      `converting its ${messages.toLocaleString("en-US")} messages and ${ids.toLocaleString("en-US")} remembered ids to data file layout 2 ` +
        "(about 3 s per 100,000); stopped part-way, the file stays as it was",
    );
  }
  if (oldBodies) {
    db.exec(`
      CREATE TABLE queue_bodies (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
      INSERT INTO queue_bodies (seq, body) SELECT seq, body FROM queue_messages;
      ALTER TABLE queue_messages DROP COLUMN body;
    `);
  }
  if (oldHistory) {
    db.exec(`
      DROP INDEX IF EXISTS queue_message_ids_by_age;
      ALTER TABLE queue_message_ids RENAME TO queue_message_ids_layout1;
      CREATE TABLE queue_message_ids (
        id INTEGER PRIMARY KEY,
        queue TEXT NOT NULL,
        message_id TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL
      );
      INSERT INTO queue_message_ids (queue, message_id, first_seen_at)
        SELECT queue, message_id, first_seen_at FROM queue_message_ids_layout1 ORDER BY first_seen_at, queue, message_id;
      DROP TABLE queue_message_ids_layout1;
    `);
  }
}

function countOf(db: SqliteDatabase, table: string): number {
  const [n] = db.prepare(`SELECT count(*) FROM ${table}`).raw(true).get() as [number];
  return n;
}

/** A table's column names; none when the table does not exist. */
function columnsOf(db: SqliteDatabase, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}
