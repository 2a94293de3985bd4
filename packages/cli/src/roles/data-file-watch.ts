import { fileIdentity } from "../wiring/data-files.ts";

/** How often the data files are looked at: a stat each, nothing read. */
const checkEveryMs = 5_000;

/**
 * Stops the roles when a data file they write is deleted or replaced under them (`rm -rf` of the
 * data directory, a restore over a running relay). SQLite goes on writing the open file, which is
 * gone with everything written since: the relay looked healthy, and the next start fetched all
 * again from the start, or left a gap. `seen` says what happened; the run then fails.
 */
export function watchDataFiles(
  opened: ReadonlyMap<string, string> | undefined,
  stop: AbortController,
): { seen: Error | undefined; stop(): void } {
  const files = [...(opened?.keys() ?? [])];
  const watch = {
    seen: undefined as Error | undefined,
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    if (watch.seen) return;
    const gone = files.find((file) => fileIdentity(file) !== opened?.get(file));
    if (gone === undefined) return;
    watch.seen = new Error(
      `${gone} was deleted or replaced while the relay was writing it: what it wrote since is lost with the old file. ` +
        "Stop every process that uses this data directory, then restore the directory from a backup or start afresh " +
        "(schedule.startAt says where a fresh start fetches from)",
    );
    stop.abort();
  }, checkEveryMs);
  timer.unref();
  return watch;
}
