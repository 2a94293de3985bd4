import type { SqliteDatabase } from "./database.ts";
import { bodiesTable, historyTable } from "./tables.ts";

/** What a conversion has to do; undefined when nothing (a new file, or one holding checkpoints only). */
export interface Layout1Conversion {
  readonly bodies: boolean;
  readonly history: boolean;
  /** For the announcement: messages and remembered ids to rewrite. */
  readonly messages: number;
  readonly ids: number;
}

/** Whether the file still has layout 1 queue tables, and how much they hold. */
export function layout1Conversion(db: SqliteDatabase): Layout1Conversion | undefined {
  const bodies = columnsOf(db, "queue_messages").includes("body");
  const historyColumns = columnsOf(db, "queue_message_ids");
  const history = historyColumns.length > 0 && !historyColumns.includes("id");
  if (!bodies && !history) return undefined;
  return {
    bodies,
    history,
    messages: bodies ? countOf(db, "queue_messages") : 0,
    ids: history ? countOf(db, "queue_message_ids") : 0,
  };
}

/** The announcement before a conversion: it takes ~3 s per 100,000 messages (with as many ids) on a 2-core VM. */
export function describeConversion(conversion: Layout1Conversion): string {
  const count = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
  return (
    `converting its ${count(conversion.messages, "message")} and ${count(conversion.ids, "remembered id")} ` +
    "to data file layout 2 (about 3 s per 100,000); stopped part-way, the file stays as it was"
  );
}

/**
 * Turns a layout 1 file's queue tables into layout 2 (`schema.ts`), keeping every message (its
 * sequence number, locks, delivery count and dead-letter details) and every remembered id. Runs
 * inside the write transaction that claims the file, so it happens once and whole, and a file
 * half migrated cannot exist.
 *
 * The history is copied oldest first, so its new rowids follow first-seen order as layout 2 needs.
 */
export function migrateLayout1(db: SqliteDatabase, conversion: Layout1Conversion): void {
  const { bodies: oldBodies, history: oldHistory } = conversion;
  if (oldBodies) {
    db.exec(bodiesTable);
    db.exec(`
      INSERT INTO queue_bodies (seq, body) SELECT seq, body FROM queue_messages;
      ALTER TABLE queue_messages DROP COLUMN body;
    `);
  }
  if (oldHistory) {
    db.exec(`
      DROP INDEX IF EXISTS queue_message_ids_by_age;
      ALTER TABLE queue_message_ids RENAME TO queue_message_ids_layout1;
    `);
    db.exec(historyTable);
    db.exec(`
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
