import { inClaimTransaction, type SqliteDatabase } from "./database.ts";
import { claimFileVersion, type OlderLayout } from "./file-version.ts";
import { queueTables } from "./tables.ts";

export function ensureQueueSchema(db: SqliteDatabase, path: string, older?: OlderLayout): void {
  // Several processes may open a new file at once: the write lock makes the DDL run once.
  inClaimTransaction(db, () => {
    claimFileVersion(db, path, older);
    db.exec(queueTables);
  });
}
