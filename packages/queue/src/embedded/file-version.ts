import { ConfigError } from "@xdr-relay/core";
import type { SqliteDatabase } from "./database.ts";
import { migrateLayout1 } from "./layout-migration.ts";

/**
 * The layout of the tables this code reads and writes in a data file (queue and checkpoints),
 * kept in SQLite's `user_version` header field. Raise it with any change an older release would
 * misread, and teach `claimFileVersion` to migrate from the one before.
 *
 * Files from releases before the marker hold 0 and have layout 1.
 * - 1: the first layout.
 * - 2: message bodies in their own table, and a duplicate history in first-seen order
 *   (`schema.ts`, `layout-migration.ts`).
 */
export const dataFileVersion = 2;

/**
 * Stamps the file with our layout, migrating an older one's tables first, or refuses a file
 * written by a newer release: reading rows whose meaning changed could lose or repeat messages, so
 * stopping with a plain message is the only safe answer. Call it inside the write transaction that
 * creates the tables, so two processes opening a file at once agree. The checkpoint store calls it
 * too and so migrates the queue's tables of a shared file: a file is stamped only once it has the
 * layout it says.
 */
export function claimFileVersion(db: SqliteDatabase, path: string, announce?: (what: string) => void): void {
  const found = readFileVersion(db);
  if (found > dataFileVersion) {
    throw new ConfigError(
      `${path} was written by a newer xdr-relay (data file version ${found}; this one reads up to ${dataFileVersion}). ` +
        "Upgrade xdr-relay, or point dataDir at another directory; the file was left as it was.",
    );
  }
  if (found < dataFileVersion) {
    migrateLayout1(db, announce && ((what) => announce(`${path}: ${what}`)));
    db.pragma(`user_version = ${dataFileVersion}`);
  }
}

/** `user_version` as a number (libsql's `pragma(…, { simple: true })` returns the row object, not the value). */
export function readFileVersion(db: SqliteDatabase): number {
  const [version] = db.prepare("PRAGMA user_version").raw(true).get() as [number];
  return version;
}
