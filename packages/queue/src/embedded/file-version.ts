import { ConfigError } from "@xdr-relay/core";
import type { SqliteDatabase } from "./database.ts";
import { describeConversion, layout1Conversion, migrateLayout1 } from "./layout-migration.ts";

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

/** What to do with a file an older release wrote. */
export interface OlderLayout {
  /**
   * For a command that changes nothing (named here, for the message), which may run beside the
   * older release's processes still using the file: a file whose tables must be converted is
   * refused with a ConfigError (the conversion would break those processes), and one whose tables
   * are already right is read as it is, not stamped (the older release would then refuse it on
   * its next start). Default: convert and stamp.
   */
  readonly refuseBy?: string;
  /** Told what is about to be converted before the work starts (seconds per million rows). */
  readonly announce?: (what: string) => void;
}

/**
 * Stamps the file with our layout, converting an older one's tables first, or refuses a file
 * written by a newer release: reading rows whose meaning changed could lose or repeat messages, so
 * stopping with a plain message is the only safe answer. Call it inside the write transaction that
 * creates the tables, so two processes opening a file at once agree. The checkpoint store calls it
 * too and so converts the queue's tables of a shared file: a file is stamped only once it has the
 * layout it says.
 */
export function claimFileVersion(db: SqliteDatabase, path: string, older: OlderLayout = {}): void {
  const found = readFileVersion(db);
  if (found > dataFileVersion) {
    throw new ConfigError(
      `${path} was written by a newer xdr-relay (data file version ${found}; this one reads up to ${dataFileVersion}). ` +
        "Upgrade xdr-relay, or point dataDir at another directory; the file was left as it was.",
    );
  }
  if (found === dataFileVersion) return;
  // A new file gets this layout's tables whoever opens it, so it is stamped even for a reader.
  const fresh = found === 0 && !hasTables(db);
  const conversion = layout1Conversion(db);
  if (conversion !== undefined) {
    if (older.refuseBy !== undefined) {
      throw new ConfigError(
        `${path} was written by an older xdr-relay (data file version ${Math.max(found, 1)}) and ${older.refuseBy} does not ` +
          "convert it, so that processes of the older release still using it keep working. Stop them, then start " +
          "`xdr-relay run`, which converts the file.",
      );
    }
    older.announce?.(`${path}: ${describeConversion(conversion)}`);
    migrateLayout1(db, conversion);
  }
  if (older.refuseBy === undefined || fresh) db.pragma(`user_version = ${dataFileVersion}`);
}

function hasTables(db: SqliteDatabase): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get() !== undefined;
}

/** `user_version` as a number (libsql's `pragma(…, { simple: true })` returns the row object, not the value). */
export function readFileVersion(db: SqliteDatabase): number {
  const [version] = db.prepare("PRAGMA user_version").raw(true).get() as [number];
  return version;
}
