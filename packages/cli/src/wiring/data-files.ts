import { statSync } from "node:fs";
import { join } from "node:path";
import type { RelayConfig } from "@xdr-relay/core";

/** The embedded queue's file in the data directory. */
export const queueFile = (config: Pick<RelayConfig, "dataDir">): string => join(config.dataDir, "queue.sqlite");

/** The SQLite checkpoint store's file in the data directory (`checkpoint.kind` sqlite). */
export const checkpointFile = (config: Pick<RelayConfig, "dataDir">): string => join(config.dataDir, "checkpoints.sqlite");

/**
 * The data files the pipeline opened, each with its identity then: taken as they are opened, so a
 * deletion before the roles start is seen too. Absent for a backend without files.
 */
export function dataFileIdentities(config: RelayConfig): Map<string, string> {
  const files = [
    config.queue.kind === "embedded" && queueFile(config),
    config.checkpoint.kind === "sqlite" && checkpointFile(config),
  ].filter((f): f is string => typeof f === "string");
  const opened = new Map<string, string>();
  for (const file of files) {
    const id = fileIdentity(file);
    if (id !== undefined) opened.set(file, id);
  }
  return opened;
}

/** The file's device and inode; undefined when it is not there or cannot be looked at (ENOTDIR, EACCES, a stale mount). */
export function fileIdentity(file: string): string | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}
