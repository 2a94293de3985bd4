import { existsSync } from "node:fs";
import type { RelayConfig } from "@xdr-relay/core";
import { isDirectory, unusableDataDir } from "./data-dir.ts";
import { queueFile } from "./data-files.ts";

/**
 * What a read-only command (`status`, `dlq`, `backfill status`) says when `dataDir` holds no
 * embedded queue: nothing has run there, or the path is mistyped. Opening the queue would create
 * an empty one there, which would then pass for a fresh relay. Undefined when there is a queue
 * file, or the queue is not embedded; a `ConfigError` when `dataDir` is a file.
 */
export function missingRelayData(config: RelayConfig): string | undefined {
  if (config.queue.kind !== "embedded" || existsSync(queueFile(config))) return undefined;
  // A file where the directory should be is a mistake to name, not "nothing has run yet".
  if (existsSync(config.dataDir) && !isDirectory(config.dataDir)) {
    throw unusableDataDir(config.dataDir, "it exists and is not a directory");
  }
  return `no relay data in ${config.dataDir}: nothing has run with this dataDir yet (dataDir, XDR_RELAY_DATA_DIR)`;
}
