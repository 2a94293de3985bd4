import { ConfigError } from "@xdr-relay/core";
import type { OlderLayout } from "./file-version.ts";

/** Options of the embedded queue; the defaults are Service Bus's own. */
export interface EmbeddedQueueOptions {
  /** The SQLite file, created when absent. Several processes may open the same file. */
  readonly path: string;
  /** How long a received message stays locked before it is delivered again. Default 60 s. */
  readonly lockDurationMs?: number;
  /** Deliveries allowed before a message is dead-lettered as `MaxDeliveryCountExceeded`. Default 10. */
  readonly maxDeliveryCount?: number;
  /** How long a `messageId` is remembered for duplicate detection. Default 10 min. */
  readonly duplicateDetectionHistoryMs?: number;
  /** Largest message (id + JSON body) accepted, as on Service Bus Standard. Default 256 KiB. */
  readonly maxMessageBytes?: number;
  /** How often a waiting receiver looks for messages sent by other processes. Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** Time for every stored instant (enqueue, schedule, lock, duplicate history). Default the system clock. */
  readonly clock?: { now(): number };
  /** A file an older release wrote: converted (announced first) unless refused. Default: converted silently. */
  readonly olderLayout?: OlderLayout;
  /**
   * Told of each message the queue dead-letters by itself (`MaxDeliveryCountExceeded`: delivered
   * `maxDeliveryCount` times and never settled), once the move is committed. No receiver settles
   * such a message, so without this nothing but the dead-letter queue's depth would show it.
   */
  readonly onDeadLettered?: (letter: QueueMovedLetter) => void;
}

/** A message the queue moved to its dead-letter subqueue by itself. */
export interface QueueMovedLetter {
  /** The queue it left (not its dead-letter subqueue). */
  readonly queue: string;
  readonly messageId: string;
  readonly reason: "MaxDeliveryCountExceeded";
  readonly description: string;
}

export type ResolvedQueueOptions = Required<Omit<EmbeddedQueueOptions, "olderLayout">>;

const positiveIntegers = [
  "lockDurationMs",
  "maxDeliveryCount",
  "duplicateDetectionHistoryMs",
  "maxMessageBytes",
  "pollIntervalMs",
] as const;

export function resolveQueueOptions(options: EmbeddedQueueOptions): ResolvedQueueOptions {
  // `??` rather than a spread: an option passed as `undefined` must still get its default.
  const resolved: ResolvedQueueOptions = {
    path: options.path,
    lockDurationMs: options.lockDurationMs ?? 60_000,
    maxDeliveryCount: options.maxDeliveryCount ?? 10,
    duplicateDetectionHistoryMs: options.duplicateDetectionHistoryMs ?? 600_000,
    maxMessageBytes: options.maxMessageBytes ?? 262_144,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    clock: options.clock ?? { now: () => Date.now() },
    onDeadLettered: options.onDeadLettered ?? (() => {}),
  };
  for (const name of positiveIntegers) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`embedded queue: ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return resolved;
}
