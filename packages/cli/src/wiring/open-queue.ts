import { ConfigError, type QueueClient, type ReceivedMessage, type RelayConfig } from "@xdr-relay/core";
import { EmbeddedQueueClient, type QueueMovedLetter } from "@xdr-relay/queue";
import { ensureDataDir } from "./data-dir.ts";
import { queueFile } from "./data-files.ts";

/** Queue depth as the embedded queue reports it; undefined where the backend cannot say cheaply. */
export interface QueueDepth {
  readonly active: number;
  readonly scheduled: number;
  readonly locked: number;
  readonly deadLettered: number;
  readonly duplicatesDropped: number;
}

/** Lists messages without locking them or counting a delivery, oldest first, from a sequence number on. */
export type PeekMessages = (
  queueName: string,
  options: { subQueue?: "deadLetter"; maxMessageCount: number; fromSequenceNumber: number },
) => Promise<ReceivedMessage[]>;

export interface OpenedQueue {
  readonly client: QueueClient;
  readonly depth: ((queueName: string) => QueueDepth) | undefined;
  /** For `backfill status`, which reads what is left of a backfill off the windows queue. */
  readonly peek: PeekMessages | undefined;
}

/**
 * Opens the relay's queue. `changesNothing` names a command that only reads (`status`, …): it
 * refuses a data file an older release wrote rather than convert it under that release's
 * processes, which may still be running beside it.
 */
export function openQueue(
  config: RelayConfig,
  options: { changesNothing?: string; onDeadLettered?: (letter: QueueMovedLetter) => void } = {},
): OpenedQueue {
  if (config.queue.kind === "servicebus") {
    throw new ConfigError("queue.kind servicebus is not available in this build yet; use embedded (XDR_RELAY_QUEUE=embedded)");
  }
  ensureDataDir(config.dataDir);
  const client = new EmbeddedQueueClient({
    path: queueFile(config),
    lockDurationMs: config.queue.lockDurationMs,
    maxDeliveryCount: config.queue.maxDeliveryCount,
    duplicateDetectionHistoryMs: config.queue.duplicateDetectionHistoryMs,
    // The fetcher cuts rows to this size; the queue must take what the fetcher was told it takes.
    maxMessageBytes: config.queue.maxMessageBytes,
    ...(options.onDeadLettered ? { onDeadLettered: options.onDeadLettered } : {}),
    olderLayout: {
      refuseBy: options.changesNothing,
      // Said before the constructor goes quiet for the seconds a big older file takes to convert.
      announce: (what) => process.stderr.write(`xdr-relay: ${what}\n`),
    },
  });
  return {
    client,
    depth: (queueName) => client.stats(queueName),
    peek: (queueName, options) => client.peekMessages(queueName, options),
  };
}
