import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, type RelayConfig } from "@xdr-relay/core";

/**
 * What a read-only command (`status`, `dlq`, `backfill status`) says when `dataDir` holds no
 * embedded queue: nothing has run there, or the path is mistyped. Opening the queue would create
 * an empty one there, which would then pass for a fresh relay. Undefined when there is a queue
 * file, or the queue is not embedded; a `ConfigError` when `dataDir` is a file.
 */
export function missingRelayData(config: RelayConfig): string | undefined {
  if (config.queue.kind !== "embedded" || existsSync(join(config.dataDir, "queue.sqlite"))) return undefined;
  // A file where the directory should be is a mistake to name, not "nothing has run yet".
  if (existsSync(config.dataDir) && !statSync(config.dataDir).isDirectory()) {
    throw new ConfigError(`cannot use dataDir ${config.dataDir}: it exists and is not a directory (dataDir, XDR_RELAY_DATA_DIR)`);
  }
  return `no relay data in ${config.dataDir}: nothing has run with this dataDir yet (dataDir, XDR_RELAY_DATA_DIR)`;
}
