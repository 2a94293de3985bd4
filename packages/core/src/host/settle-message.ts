import type { Outcome } from "../contracts/outcome.ts";
import { describeError, isLockLost, isPermanentError } from "../errors.ts";
import { type BackoffPolicy, backoffMs } from "../logic/backoff.ts";
import type { QueueReceiver, QueueSender, ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";
import { noticeDeadLetter } from "./dead-letter-notice.ts";
import { type SettlementStep, settlementSteps } from "./settlement-steps.ts";

export interface SettleOptions {
  readonly queueName: string;
  readonly receiver: QueueReceiver;
  readonly sender: QueueSender;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The host's stop: once it aborts, a failing settlement is given `settleWhenStoppingMs` more at most. */
  readonly signal?: AbortSignal;
}

/**
 * How long a settlement step is tried again at most, while the lock holds (the host keeps renewing
 * it meanwhile). Four tries in 1.4 s did not outlast a 2 s burst of failing writes: the message
 * came back when its lock ran out and its rows were uploaded a second time.
 */
export const settleForMs = 30_000;

/** The queue a message came from, for the log (metrics keep the stage's `queueName`). */
function queueOf(options: SettleOptions, message: ReceivedMessage): string {
  return options.receiver.queueNameOf?.(message) ?? options.queueName;
}
/**
 * A settlement still failing when the host stops gets this long more at most (the 1.4 s it had
 * before): a stop during a queue outage must not wait out the 30 s. The message is then delivered
 * again once its lock runs out, as before.
 */
export const settleWhenStoppingMs = 1_500;
/**
 * The waits between tries: jittered, doubling from 200 ms to at most 800 ms. The jitter keeps
 * settlements that failed together (one busy database) from all trying again at one instant.
 */
const settleBackoff: BackoffPolicy = { baseMs: 200, maxMs: 800 };

/**
 * Settles one message by its outcome and counts it; never throws. A step that fails for a reason
 * that may pass (a busy database, a dropped connection) is tried again, a few times, while the
 * lock holds: given up at once, the message would come back when its lock ran out and the sink
 * would upload its rows a second time. A lost lock ends it at once (the message is redelivered).
 */
export async function settleMessage(options: SettleOptions, message: ReceivedMessage, outcome: Outcome): Promise<void> {
  try {
    const deadline = settlementDeadline(options);
    for (const step of settlementSteps(options, message, outcome)) await withRetries(options, message, step, deadline);
    options.metrics.increment(
      `${options.queueName}Message${outcome.kind === "completed" ? "Completed" : outcome.kind === "retry" ? "Retried" : "DeadLettered"}`,
    );
    // After the count: the message is settled, whatever the log does.
    if (outcome.kind === "deadLetter")
      noticeDeadLetter({ ...options, queueName: queueOf(options, message) }, message.messageId, outcome);
  } catch (error) {
    // A lost lock means the queue will redeliver the message: the outcome is retried, not lost.
    options.logger.warn("settlementFailed", {
      queue: queueOf(options, message),
      messageId: message.messageId,
      error: describeError(error),
    });
    options.metrics.increment("settlementFailed");
  }
}

/**
 * When a settlement gives up, one deadline for all its steps (a retry's send and complete do not
 * get 30 s each): `settleForMs` from its start, or `settleWhenStoppingMs` after the host's stop is
 * first seen, whichever comes first.
 */
function settlementDeadline(options: SettleOptions): () => number {
  const giveUpAt = options.clock.now() + settleForMs;
  let stopSeenAt: number | undefined;
  return () => {
    if (options.signal?.aborted) stopSeenAt ??= options.clock.now();
    return stopSeenAt === undefined ? giveUpAt : Math.min(giveUpAt, stopSeenAt + settleWhenStoppingMs);
  };
}

async function withRetries(
  options: SettleOptions,
  message: ReceivedMessage,
  step: SettlementStep,
  deadline: () => number,
): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      return await step();
    } catch (error) {
      const lockedUntil = message.lockedUntilUtc?.getTime() ?? Number.POSITIVE_INFINITY;
      // A permanent failure (a retry copy the queue refuses, say) fails the same way every time.
      const hopeless = isLockLost(error) || isPermanentError(error);
      const now = options.clock.now();
      if (hopeless || now >= deadline() || now >= lockedUntil) throw error;
      options.logger.info("settlementRetried", {
        queue: options.queueName,
        messageId: message.messageId,
        error: describeError(error),
      });
      options.metrics.increment("settlementRetried");
      await options.clock.sleep(backoffMs(tries, settleBackoff));
    }
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
    options.logger.warn("abandonFailed", {
      queue: queueOf(options, message),
      messageId: message.messageId,
      error: describeError(error),
    });
    options.metrics.increment("abandonFailed");
  }
}
