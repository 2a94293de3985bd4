import { join } from "node:path";
import {
  type CheckpointStore,
  type Clock,
  CounterMetrics,
  type HuntingApi,
  type Logger,
  type LogsIngestion,
  type RelayConfig,
  systemClock,
} from "@xdr-relay/core";
import { GraphHuntingClient, huntingCredentials } from "@xdr-relay/fetcher";
import { SqliteCheckpointStore } from "@xdr-relay/queue";
import { createIngestionClient } from "@xdr-relay/sink";
import { type OpenedQueue, openQueue } from "./open-queue.ts";

/** Everything the three roles need, built once from the configuration. */
export interface Pipeline {
  readonly config: RelayConfig;
  readonly queue: OpenedQueue;
  readonly store: CheckpointStore;
  readonly hunting: HuntingApi;
  readonly ingestion: LogsIngestion;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: CounterMetrics;
  close(): Promise<void>;
}

export function buildPipeline(config: RelayConfig, logger: Logger): Pipeline {
  const queue = openQueue(config);
  const store = new SqliteCheckpointStore({ path: join(config.dataDir, "checkpoints.sqlite") });
  const hunting = new GraphHuntingClient({
    url: config.hunting.url,
    credentialFor: huntingCredentials(config.auth, config.hunting.url),
    requestTimeoutMs: config.hunting.requestTimeoutMs,
  });
  const ingestion = createIngestionClient({ endpoint: config.ingestion.endpoint, auth: config.auth });
  return {
    config,
    queue,
    store,
    hunting,
    ingestion,
    clock: systemClock,
    logger,
    metrics: new CounterMetrics(),
    async close() {
      await queue.client.close();
      store.close();
    },
  };
}
