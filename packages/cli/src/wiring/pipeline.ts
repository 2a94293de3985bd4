import {
  type CheckpointStore,
  type Clock,
  CounterMetrics,
  type HuntingApi,
  type Logger,
  type LogsIngestion,
  noticeDeadLetter,
  type RelayConfig,
  systemClock,
} from "@xdr-relay/core";
import { GraphHuntingClient, huntingCredentials } from "@xdr-relay/fetcher";
import { createIngestionClient } from "@xdr-relay/sink";
import { dataFileIdentities } from "./data-files.ts";
import { openCheckpointStore } from "./open-checkpoint-store.ts";
import { type OpenedQueue, openQueue } from "./open-queue.ts";
import { queueDeadLetteredMetric } from "./queue-dead-lettered-metric.ts";

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
  /** The data files opened, with their identity then (`watchDataFiles`); absent in tests' stand-ins. */
  readonly dataFiles?: ReadonlyMap<string, string>;
  /** Resolves once the checkpoint store answered; a missing container or role is a `ConfigError`. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function buildPipeline(config: RelayConfig, logger: Logger): Pipeline {
  // The store first: a bad checkpoint setting then fails before the queue file is opened.
  const checkpoints = openCheckpointStore(config);
  const metrics = new CounterMetrics();
  // A message the queue dead-letters by itself (delivered too often, never settled) is logged and
  // counted as the roles' own dead letters are: no role settles it, so no role would.
  const queue = openQueue(config, {
    onDeadLettered: ({ queue: queueName, messageId, reason, description }) => {
      metrics.increment(queueDeadLetteredMetric);
      noticeDeadLetter({ queueName, logger, clock: systemClock }, messageId, { kind: "deadLetter", reason, description });
    },
  });
  const hunting = new GraphHuntingClient({
    url: config.hunting.url,
    credentialFor: huntingCredentials(config.auth, config.hunting.url),
    requestTimeoutMs: config.hunting.requestTimeoutMs,
  });
  // Made when the sink first asks: a fetcher or scheduler host has only a placeholder endpoint,
  // which auth "none" (emulators only) would refuse as not loopback.
  let ingestion: LogsIngestion | undefined;
  return {
    config,
    queue,
    store: checkpoints.store,
    hunting,
    get ingestion() {
      ingestion ??= createIngestionClient({ endpoint: config.ingestion.endpoint, auth: config.auth });
      return ingestion;
    },
    clock: systemClock,
    logger,
    metrics,
    dataFiles: dataFileIdentities(config),
    ready: () => checkpoints.verify(),
    async close() {
      await queue.client.close();
      await checkpoints.close();
    },
  };
}
