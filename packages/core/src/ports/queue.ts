import type { DeadLetterReason } from "../contracts/dead-letter.ts";
import type { WindowLane } from "../contracts/query-window.ts";

/**
 * The queue port. It mirrors the Service Bus SDK's shapes so the Service Bus adapter stays thin and
 * the embedded adapter behaves the same way (one conformance suite proves it).
 */
export interface OutgoingMessage {
  /** Duplicate detection key: a send whose id was seen within the history window is dropped. */
  readonly messageId: string;
  readonly body: unknown;
  /** Deliver no earlier than this instant (a retry's backoff, a throttled window's `Retry-After`). */
  readonly scheduledEnqueueTimeUtc?: Date;
}

export interface ReceivedMessage {
  readonly messageId: string;
  /** `unknown` until a `core` schema parses it: it may have been written by older code. */
  readonly body: unknown;
  /** How many times this message was delivered, this delivery included (1 on the first). */
  readonly deliveryCount: number;
  readonly sequenceNumber: number;
  readonly enqueuedTimeUtc: Date;
  readonly lockedUntilUtc: Date | undefined;
  /** Set on messages read from the dead-letter subqueue. */
  readonly deadLetterReason?: string | undefined;
  readonly deadLetterErrorDescription?: string | undefined;
}

export interface QueueSender {
  /** Sends all or none: resolves only once every message is durably enqueued (or dropped as a duplicate). */
  sendMessages(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface ReceiveOptions {
  /** How long to wait for the first message when the queue is empty. */
  readonly maxWaitTimeInMs: number;
}

export interface QueueReceiver {
  /** Peek-lock receive: each message is locked for the queue's lock duration, then redelivered. */
  receiveMessages(maxMessageCount: number, options: ReceiveOptions): Promise<ReceivedMessage[]>;
  completeMessage(message: ReceivedMessage): Promise<void>;
  /** Unlock now for redelivery; counts as a delivery (see `maxDeliveryCount`). */
  abandonMessage(message: ReceivedMessage): Promise<void>;
  deadLetterMessage(message: ReceivedMessage, details: DeadLetterDetails): Promise<void>;
  /** Extends the lock; throws when the lock was already lost. */
  renewMessageLock(message: ReceivedMessage): Promise<Date>;
  /**
   * Optional: completes `message` and enqueues `copy` on the same queue as one operation, both or
   * neither (throws when the lock was lost, with nothing enqueued). Where a queue offers it, a
   * retry is not a send then a complete, which a crash in between turns into two live copies.
   */
  rescheduleMessage?(message: ReceivedMessage, copy: OutgoingMessage): Promise<void>;
  /**
   * Optional, for a receiver over several queues (the fetcher's two lanes): the queue `message`
   * came from, so a log line sends the operator to the right dead-letter queue.
   */
  queueNameOf?(message: ReceivedMessage): string | undefined;
  close(): Promise<void>;
}

export interface DeadLetterDetails {
  readonly deadLetterReason: DeadLetterReason | string;
  readonly deadLetterErrorDescription: string;
}

export interface QueueClient {
  createSender(queueName: string): QueueSender;
  /** `subQueue: "deadLetter"` reads `<queue>/$deadletterqueue`. */
  createReceiver(queueName: string, options?: { subQueue?: "deadLetter" }): QueueReceiver;
  close(): Promise<void>;
}

/**
 * The queues of the pipeline: windows in two lanes (`windows` live, served first, and
 * `windows-backfill`), then rows. Service Bus has no message priorities; separate queues are its way.
 */
export const queueNames = { windows: "windows", windowsBackfill: "windows-backfill", rows: "rows" } as const;

/** A sender per window lane, for code that places windows in a lane on purpose (a backfill). */
export type WindowLaneSenders = Readonly<Record<WindowLane, QueueSender>>;

/** Both window queues, live first: whatever reads "the windows" (idle checks, progress, dead letters) reads both. */
export const windowQueueNames = [queueNames.windows, queueNames.windowsBackfill] as const;
