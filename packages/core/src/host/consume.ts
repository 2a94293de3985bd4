import type { Outcome } from "../contracts/outcome.ts";
import { describeError } from "../errors.ts";
import type { QueueReceiver, QueueSender, ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";
import { applyOutcome } from "./apply-outcome.ts";

/** How long to wait after a failed receive before the next one. */
const receiveRetryMs = 1_000;

/** A stage's handler: one outcome per message, in the same order. It never settles anything. */
export type BatchHandler = (messages: readonly ReceivedMessage[]) => Promise<readonly Outcome[]>;

export interface ConsumeOptions {
  readonly queueName: string;
  readonly receiver: QueueReceiver;
  readonly sender: QueueSender;
  readonly handler: BatchHandler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly maxBatchSize: number;
  readonly maxWaitTimeInMs: number;
  /** After the first message, keep collecting up to this long to fill the batch (the sink's linger). */
  readonly lingerMs?: number;
  readonly signal: AbortSignal;
  /** Called after each empty receive; return true to stop (e.g. `--until-idle`). */
  readonly shouldStopWhenEmpty?: () => boolean | Promise<boolean>;
  /**
   * Asked before each receive: ms to wait first (0: receive now). A handler that knows every
   * message would fail alike (a missing role on the sink's rule) pauses the loop this way, so the
   * backlog is not received, and its delivery counts are not spent, until the fault clears.
   */
  readonly pauseFor?: () => number;
}

/**
 * The host's loop: receive a batch, run the handler, settle each message by its outcome.
 * If the handler throws (a bug, not a verdict on the messages), every message is abandoned: it is
 * redelivered, and the queue dead-letters it after `maxDeliveryCount` tries. Nothing is dropped.
 */
export async function consume(options: ConsumeOptions): Promise<void> {
  const { receiver, handler, logger, metrics, signal, queueName } = options;
  while (!signal.aborted) {
    const pauseMs = options.pauseFor?.() ?? 0;
    if (pauseMs > 0) {
      metrics.increment(`${queueName}ReceivePaused`);
      await options.clock.sleep(pauseMs, signal);
      if (signal.aborted) return;
    }
    let messages: ReceivedMessage[];
    try {
      messages = await receiveBatch(options);
    } catch (error) {
      // A dropped connection or a busy database: the messages stay on the queue (locked ones come
      // back when their lock expires), so wait a moment and receive again rather than stop the role.
      logger.warn("receiveFailed", { queue: queueName, error: describeError(error) });
      metrics.increment("receiveFailed");
      await options.clock.sleep(receiveRetryMs, signal);
      continue;
    }
    if (messages.length === 0) {
      if (await options.shouldStopWhenEmpty?.()) return;
      continue;
    }
    let outcomes: readonly Outcome[];
    try {
      outcomes = await handler(messages);
      if (outcomes.length !== messages.length)
        throw new Error(`handler returned ${outcomes.length} outcomes for ${messages.length} messages`);
    } catch (error) {
      logger.error("handlerFailed", { queue: queueName, messages: messages.length, error: describeError(error) });
      metrics.increment("handlerFailed");
      await Promise.all(messages.map((m) => receiver.abandonMessage(m).catch(() => undefined)));
      continue;
    }
    await Promise.all(messages.map((m, i) => settle(options, m, outcomes[i] as Outcome)));
  }
}

/** Receives up to `maxBatchSize` messages, lingering after the first to fill the batch. */
async function receiveBatch(options: ConsumeOptions): Promise<ReceivedMessage[]> {
  const { receiver, maxBatchSize, clock } = options;
  const messages = await receiver.receiveMessages(maxBatchSize, { maxWaitTimeInMs: options.maxWaitTimeInMs });
  const lingerUntil = clock.now() + (options.lingerMs ?? 0);
  while (messages.length > 0 && messages.length < maxBatchSize && clock.now() < lingerUntil && !options.signal.aborted) {
    const more = await receiver.receiveMessages(maxBatchSize - messages.length, { maxWaitTimeInMs: lingerUntil - clock.now() });
    if (more.length === 0) break;
    messages.push(...more);
  }
  return messages;
}

async function settle(options: ConsumeOptions, message: ReceivedMessage, outcome: Outcome): Promise<void> {
  try {
    await applyOutcome(options, message, outcome);
    options.metrics.increment(
      `${options.queueName}Message${outcome.kind === "completed" ? "Completed" : outcome.kind === "retry" ? "Retried" : "DeadLettered"}`,
    );
  } catch (error) {
    // A lost lock means the queue will redeliver the message: the outcome is retried, not lost.
    options.logger.warn("settlementFailed", {
      queue: options.queueName,
      messageId: message.messageId,
      error: describeError(error),
    });
    options.metrics.increment("settlementFailed");
  }
}
