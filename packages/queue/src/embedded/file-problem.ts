/**
 * A SQLite file that cannot be used, said with its path and what to do: libsql's own text ("file is
 * not a database", "unable to open database file") names neither the file nor the fix, and the
 * data directory holds two of them (the queue and the checkpoints).
 */
export function fileProblem(path: string, error: unknown): Error {
  return new Error(`${path} ${explain(error)}`, { cause: error });
}

function explain(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? "");
  const message = error instanceof Error ? error.message : String(error);
  const restore =
    "restore it from a backup (copied, with its -wal file, while no process used it), or move it away to start afresh without what it held";
  if (code === "SQLITE_NOTADB") return `is not a SQLite database (damaged, or another file): ${restore}`;
  if (code.startsWith("SQLITE_CORRUPT")) return `is damaged (${message}): ${restore}`;
  if (code.startsWith("SQLITE_READONLY")) return "is read-only: the relay writes its queue and checkpoints there";
  if (code === "SQLITE_FULL") return "cannot grow: the disk is full";
  if (code.startsWith("SQLITE_CANTOPEN") || /unable to open (connection|database)/i.test(message)) {
    return "cannot be opened: check that its directory exists and that this user may write in it (a read-only mount cannot hold the queue)";
  }
  return `cannot be opened: ${message}`;
}
