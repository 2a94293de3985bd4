import { statSync } from "node:fs";
import { join } from "node:path";
import type { RelayConfig } from "@xdr-relay/core";

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
    const gone = files.find((file) => identity(file) !== opened?.get(file));
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

/**
 * The data files the pipeline opened, each with its identity then: taken as they are opened, so a
 * deletion before the roles start is seen too. Absent for a backend without files.
 */
export function dataFileIdentities(config: RelayConfig): Map<string, string> {
  const files = [
    config.queue.kind === "embedded" && join(config.dataDir, "queue.sqlite"),
    config.checkpoint.kind === "sqlite" && join(config.dataDir, "checkpoints.sqlite"),
  ].filter((f): f is string => typeof f === "string");
  const opened = new Map<string, string>();
  for (const file of files) {
    const id = identity(file);
    if (id !== undefined) opened.set(file, id);
  }
  return opened;
}

/** The file's device and inode; undefined when it is not there or cannot be looked at (ENOTDIR, EACCES, a stale mount). */
function identity(file: string): string | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}
