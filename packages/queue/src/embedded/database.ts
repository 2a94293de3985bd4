import Database from "libsql";
import { fileProblem } from "./file-problem.ts";

export type SqliteDatabase = Database.Database;

/**
 * How long a connection waits for another one's write lock before failing with SQLITE_BUSY.
 * Our transactions last milliseconds; this only matters under heavy contention between processes.
 */
const busyTimeoutMs = 10_000;
/**
 * How long opening a file waits for another process's claim of it: converting an older release's
 * file holds the write lock for ~3 s per 100,000 messages, and a process started meanwhile should
 * wait for the conversion, not fail at start-up.
 */
const claimBusyTimeoutMs = 15 * 60_000;

/**
 * Checkpoint (copy the log into the database file, fsync it) once the log holds this many pages
 * (4 KiB each), not SQLite's default 1,000. One 5,000-message send writes about 1,000 pages, so the
 * default checkpointed on nearly every send, inside the send: a page written by several sends
 * (index and duplicate-history pages, rows completed meanwhile) is now copied once per checkpoint,
 * and the database file is fsynced a tenth as often. Costs up to ~40 MB of log on disk.
 */
const walAutocheckpointPages = 10_000;
/** After a checkpoint, the log file is truncated back to this size instead of keeping its peak. */
const walSizeLimitBytes = 64 * 1024 * 1024;

/**
 * What a commit lost to a power cut or OS crash would cost (a killed process loses nothing
 * committed, whatever the setting). It decides the `synchronous` pragma of the transaction:
 * - "data": the caller forgets what it acknowledged (a sent message, a checkpoint), so a lost
 *   commit would be lost data. `synchronous=FULL`: the log is fsynced before COMMIT returns.
 * - "redelivery": a lock, complete, abandon or dead-letter. If lost, the message is simply
 *   delivered again, which at-least-once consumers (idempotent ids) already handle.
 *   `synchronous=NORMAL`: no fsync, so per-message settlement is not bound by the disk's fsync
 *   rate (~4 ms here). The log is append-only and checksummed, so only a suffix of such
 *   commits can be lost, and the next "data" commit's fsync makes them durable too.
 */
export type CommitLoss = "data" | "redelivery";

const synchronousOf = new WeakMap<SqliteDatabase, CommitLoss>();

/** Opens (creating if needed) a SQLite file shared by the queue and the checkpoint store. */
export function openDatabase(path: string): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(path);
  } catch (e) {
    throw fileProblem(path, e);
  }
  try {
    // Set first: switching to WAL itself needs a lock another process may hold.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // WAL: readers never block the writer nor it them, and a commit is one append to the log.
    db.pragma("journal_mode = WAL");
    db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
    db.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
    setSynchronous(db, "data");
    // Reads the schema: a file that is no database, or a damaged one, is told here, named.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return db;
  } catch (e) {
    db.close();
    throw fileProblem(path, e);
  }
}

/**
 * Closes a connection, first copying the log into the database file and emptying it. SQLite does
 * that by itself only when the last connection closes with no statement left unfinalised, and our
 * prepared statements (`statement`) live as long as the connection: without this, a cleanly
 * stopped relay left most of its recent state in `*.sqlite-wal` (tens of MB), and a backup that
 * copied only the `*.sqlite` files restored an older, mixed state. Best effort: another process
 * still reading the file keeps the log, which is then its to checkpoint.
 */
export function closeDatabase(db: SqliteDatabase): void {
  try {
    // Not waiting: a process still using the file (a running relay beside `status`) would hold
    // this close up to the busy timeout, and it checkpoints the log itself anyway.
    db.pragma("busy_timeout = 0");
    db.pragma("wal_checkpoint(TRUNCATE)");
  } catch {
    // Busy or failing: the log stays, and is as safe as it was.
  }
  db.close();
}

const statements = new WeakMap<SqliteDatabase, Map<string, Database.Statement>>();

/** `db.prepare`, compiled once per connection: compiling costs about as much as running. */
export function statement(db: SqliteDatabase, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

function setSynchronous(db: SqliteDatabase, loss: CommitLoss): void {
  if (synchronousOf.get(db) === loss) return;
  db.pragma(loss === "data" ? "synchronous = FULL" : "synchronous = NORMAL");
  synchronousOf.set(db, loss);
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
 * connections that read-then-write (e.g. pick a message, then lock it) are serialised instead of
 * both reading the same row. A deferred transaction would fail with SQLITE_BUSY on upgrade.
 * Inside a transaction already open (a batch of settlements), `fn` runs in a savepoint: its
 * failure undoes its own writes only, and the batch goes on.
 */
export function inWriteTransaction<T>(db: SqliteDatabase, fn: () => T, ifLost: CommitLoss = "data"): T {
  if (db.inTransaction) return inSavepoint(db, fn);
  setSynchronous(db, ifLost);
  statement(db, "BEGIN IMMEDIATE").run();
  try {
    const result = fn();
    statement(db, "COMMIT").run();
    return result;
  } catch (e) {
    // SQLite has rolled back by itself when a write or the commit failed on a full disk or an I/O
    // error. libsql's own `transaction()` then rolled back again, and its "no transaction is
    // active" replaced the error that said what happened: the disk is full.
    if (db.inTransaction) {
      try {
        statement(db, "ROLLBACK").run();
      } catch {
        // `e` says more than a failed rollback would.
      }
    }
    throw e;
  }
}

/**
 * `inWriteTransaction` for claiming a file when it is opened (layout check, conversion, tables),
 * waiting up to `claimBusyTimeoutMs` for the write lock instead of `busyTimeoutMs`.
 */
export function inClaimTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  db.pragma(`busy_timeout = ${claimBusyTimeoutMs}`);
  try {
    return inWriteTransaction(db, fn);
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

function inSavepoint<T>(db: SqliteDatabase, fn: () => T): T {
  db.exec("SAVEPOINT nested");
  try {
    const result = fn();
    db.exec("RELEASE nested");
    return result;
  } catch (e) {
    // A full disk or an I/O error rolled the whole transaction back: there is no savepoint left to
    // undo, and `e` is what the caller must hear (`transactionLost` tells it the batch is gone).
    if (transactionLost(db)) throw e;
    db.exec("ROLLBACK TO nested");
    db.exec("RELEASE nested");
    throw e;
  }
}

/**
 * Whether the transaction a batch runs in is gone (SQLite rolled it back by itself on a full disk
 * or an I/O error). The batch must then stop: what it ran so far is undone, and what it would run
 * next would commit on its own, outside any transaction.
 */
export function transactionLost(db: SqliteDatabase): boolean {
  return !db.inTransaction;
}
