import { type CheckpointStore, ConfigError, describeError, type RelayConfig } from "@xdr-relay/core";
import { BlobCheckpointStore, SqliteCheckpointStore } from "@xdr-relay/queue";
import { blobContainer } from "./blob-container.ts";
import { ensureDataDir } from "./data-dir.ts";
import { checkpointFile } from "./data-files.ts";

export interface OpenedCheckpointStore {
  readonly store: CheckpointStore;
  /** Where the checkpoints are, for messages to the operator. */
  readonly where: string;
  /**
   * Checks once, at start-up, that the store can be reached, so a missing container or a missing
   * role assignment is one clear error instead of a failed tick every minute.
   */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The checkpoint store the config names: the SQLite file in the data dir, or a Blob container.
 * `changesNothing` names a command that only reads: a SQLite file an older release wrote is then
 * left as it was (see `openQueue`).
 */
export function openCheckpointStore(
  config: RelayConfig,
  options: { changesNothing?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): OpenedCheckpointStore {
  if (config.checkpoint.kind === "blob") {
    const container = blobContainer(config.checkpoint, env);
    const where = `blob container ${container.url}`;
    return {
      store: new BlobCheckpointStore(container),
      where,
      verify: async () => {
        let exists: boolean;
        try {
          exists = await container.exists();
        } catch (error) {
          throw new ConfigError(`cannot reach the checkpoint ${where}: ${describeError(error)}${accessHint(error)}`, {
            cause: error,
          });
        }
        if (!exists) {
          throw new ConfigError(
            `the checkpoint ${where} does not exist: create it (infra/ does) or fix checkpoint.container (XDR_RELAY_CHECKPOINT_CONTAINER)`,
          );
        }
      },
      // The SDK's HTTP client holds nothing worth closing; its keep-alive sockets time out.
      close: async () => {},
    };
  }
  ensureDataDir(config.dataDir);
  const path = checkpointFile(config);
  const store = new SqliteCheckpointStore({ path, olderLayout: { refuseBy: options.changesNothing } });
  return { store, where: path, verify: async () => {}, close: () => store.close() };
}

function accessHint(error: unknown): string {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return status === 403
    ? ' — give the identity the "Storage Blob Data Contributor" role on the container (a new grant can take a few minutes)'
    : "";
}
