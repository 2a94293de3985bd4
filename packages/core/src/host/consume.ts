import type { Outcome } from "../contracts/outcome.ts";

// The pipelined variant lives beside this loop and is exported with it (the package index lists host files by hand).
export * from "./consume-stream.ts";
export { nextTurn } from "./receive-step.ts";

import { describeError } from "../errors.ts";
import type { QueueReceiver, QueueSender, ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";
import { CoalescingSender } from "./coalescing-sender.ts";
import { LockKeeper } from "./lock-keeper.ts";
import { nextTurn, pauseIfAsked, receiveFailed, receiveOrWait, stopWhenEmpty } from "./receive-step.ts";
import { abandonMessage, settleMessage } from "./settle-message.ts";

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
  const locks = new LockKeeper(options);
  // Retry copies of one batch's outcomes go out in one send (see `CoalescingSender`).
  const settling = { ...options, sender: new CoalescingSender(options.sender) };
  try {
    while (!options.signal.aborted) {
      await nextTurn();
      await pauseIfAsked(options);
      if (options.signal.aborted) return;
      const messages = await receiveOrWait(options, () => receiveBatch(options));
      if (messages === undefined) continue;
      if (messages.length === 0) {
        if (await stopWhenEmpty(options)) return;
        continue;
      }
      for (const m of messages) locks.hold(m);
      await handleAndSettle(settling, messages, locks);
    }
  } finally {
    await locks.close();
  }
}

/**
 * Runs the handler on one batch and settles each message by its outcome; a handler bug abandons
 * them all. Never throws. Locks are kept until each message is settled (`LockKeeper.keepWhileSettling`).
 */
async function handleAndSettle(options: ConsumeOptions, messages: ReceivedMessage[], locks: LockKeeper): Promise<void> {
  const { handler, logger, metrics, queueName } = options;
  let outcomes: readonly Outcome[];
  try {
    outcomes = await handler(messages);
    if (outcomes.length !== messages.length)
      throw new Error(`handler returned ${outcomes.length} outcomes for ${messages.length} messages`);
  } catch (error) {
    logger.error("handlerFailed", { queue: queueName, messages: messages.length, error: describeError(error) });
    metrics.increment("handlerFailed");
    for (const m of messages) locks.release(m);
    await Promise.all(messages.map((m) => abandonMessage(options, m)));
    return;
  }
  await Promise.all(messages.map((m, i) => locks.keepWhileSettling(m, () => settleMessage(options, m, outcomes[i] as Outcome))));
}

/**
 * Receives up to `maxBatchSize` messages, lingering after the first to fill the batch. A receive
 * that fails while lingering ends the batch with what it has: those messages are already locked to
 * this host, and dropping them would leave them to wait out their lock and come back with a
 * delivery spent.
 */
async function receiveBatch(options: ConsumeOptions): Promise<ReceivedMessage[]> {
  const { receiver, maxBatchSize, clock } = options;
  const messages = await receiver.receiveMessages(maxBatchSize, { maxWaitTimeInMs: options.maxWaitTimeInMs });
  const lingerUntil = clock.now() + (options.lingerMs ?? 0);
  while (messages.length > 0 && messages.length < maxBatchSize && clock.now() < lingerUntil && !options.signal.aborted) {
    let more: ReceivedMessage[];
    try {
      more = await receiver.receiveMessages(maxBatchSize - messages.length, { maxWaitTimeInMs: lingerUntil - clock.now() });
    } catch (error) {
      receiveFailed(options, error);
      break;
    }
    if (more.length === 0) break;
    messages.push(...more);
  }
  return messages;
}
