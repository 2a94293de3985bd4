import { randomUUID } from "node:crypto";
import type { CheckpointStore, Versioned } from "@xdr-relay/core";
import { closeDatabase, inClaimTransaction, openDatabase, type SqliteDatabase } from "./database.ts";
import { claimFileVersion, type OlderLayout } from "./file-version.ts";

export interface SqliteCheckpointStoreOptions {
  /** A SQLite file; may be the embedded queue's own (the table is separate). */
  readonly path: string;
  /** A file an older release wrote: converted and stamped unless refused. */
  readonly olderLayout?: OlderLayout;
}

const ddl = `CREATE TABLE IF NOT EXISTS checkpoints (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  etag TEXT NOT NULL
)`;

/**
 * `CheckpointStore` on SQLite. Each write is compare-and-swap on the etag, so two schedulers
 * (processes) sharing the file cannot both advance a key: one gets undefined and re-reads.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: SqliteDatabase;

  constructor(options: SqliteCheckpointStoreOptions) {
    this.db = openDatabase(options.path);
    // The queue's autocheckpoint (10,000 pages, for its bulk writes) let this file's WAL grow to
    // ~40 MB for a table of a few KB written a few times a minute (a soak run measured it).
    this.db.pragma("wal_autocheckpoint = 100");
    try {
      inClaimTransaction(this.db, () => {
        claimFileVersion(this.db, options.path, options.olderLayout);
        this.db.exec(ddl);
      });
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  async read(key: string): Promise<Versioned | undefined> {
    const row = this.db.prepare("SELECT value, etag FROM checkpoints WHERE key = ?").get(key) as Versioned | undefined;
    return row === undefined ? undefined : { value: row.value, etag: row.etag };
  }

  async write(key: string, value: string, expectedEtag: string | undefined): Promise<string | undefined> {
    const etag = randomUUID();
    // The etag condition sits in the statement itself, which SQLite applies atomically.
    const result =
      expectedEtag === undefined
        ? this.db.prepare("INSERT OR IGNORE INTO checkpoints (key, value, etag) VALUES (?, ?, ?)").run(key, value, etag)
        : this.db
            .prepare("UPDATE checkpoints SET value = ?, etag = ? WHERE key = ? AND etag = ?")
            .run(value, etag, key, expectedEtag);
    return result.changes === 1 ? etag : undefined;
  }

  async close(): Promise<void> {
    closeDatabase(this.db);
  }
}
