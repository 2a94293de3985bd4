import type { Outcome } from "../contracts/outcome.ts";
import { describeError } from "../errors.ts";
import type { QueueReceiver, QueueSender, ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";
import { applyOutcome } from "./apply-outcome.ts";

export interface SettleOptions {
  readonly queueName: string;
  readonly receiver: QueueReceiver;
  readonly sender: QueueSender;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Settles one message by its outcome and counts it; never throws. */
export async function settleMessage(options: SettleOptions, message: ReceivedMessage, outcome: Outcome): Promise<void> {
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

/**
 * Abandons one message after a handler bug (not a verdict on it); never throws. If the abandon
 * fails too, the lock runs out and the message comes back all the same, later: say so.
 */
export async function abandonMessage(options: SettleOptions, message: ReceivedMessage): Promise<void> {
  try {
    await options.receiver.abandonMessage(message);
  } catch (error) {
    options.logger.warn("abandonFailed", { queue: options.queueName, messageId: message.messageId, error: describeError(error) });
    options.metrics.increment("abandonFailed");
  }
}
