import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RelayConfig } from "@xdr-relay/core";

/**
 * What a read-only command (`status`, `dlq`, `backfill status`) says when `dataDir` holds no
 * embedded queue: nothing has run there, or the path is mistyped. Opening the queue would create
 * an empty one there, which would then pass for a fresh relay. Undefined when there is a queue
 * file, or the queue is not embedded.
 */
export function missingRelayData(config: RelayConfig): string | undefined {
  if (config.queue.kind !== "embedded" || existsSync(join(config.dataDir, "queue.sqlite"))) return undefined;
  return `no relay data in ${config.dataDir}: nothing has run with this dataDir yet (dataDir, XDR_RELAY_DATA_DIR)`;
}
