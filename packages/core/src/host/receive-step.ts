import { describeError } from "../errors.ts";
import type { ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";

/** How long to wait after a failed receive before the next one. */
const receiveRetryMs = 1_000;

export interface ReceiveStepOptions {
  readonly queueName: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly signal: AbortSignal;
  /** See `ConsumeOptions.pauseFor`. */
  readonly pauseFor?: () => number;
}

/** Waits out a pause the handler asked for (a configuration fault); after it, the next receive is the probe. */
export async function pauseIfAsked(options: ReceiveStepOptions): Promise<void> {
  const pauseMs = options.pauseFor?.() ?? 0;
  if (pauseMs <= 0) return;
  options.metrics.increment(`${options.queueName}ReceivePaused`);
  await options.clock.sleep(pauseMs, options.signal);
}

/**
 * Receives, or on failure logs, waits a moment and returns undefined. A dropped connection or a busy
 * database leaves the messages on the queue (locked ones come back when their lock expires), so
 * the host receives again rather than stopping the role.
 */
export async function receiveOrWait(
  options: ReceiveStepOptions,
  receive: () => Promise<ReceivedMessage[]>,
): Promise<ReceivedMessage[] | undefined> {
  try {
    return await receive();
  } catch (error) {
    receiveFailed(options, error);
    await options.clock.sleep(receiveRetryMs, options.signal);
    return undefined;
  }
}

/** Logs and counts a failed receive. */
export function receiveFailed(options: ReceiveStepOptions, error: unknown): void {
  options.logger.warn("receiveFailed", { queue: options.queueName, error: describeError(error) });
  options.metrics.increment("receiveFailed");
}

/**
 * Asks `shouldStopWhenEmpty` after an empty receive. It reads the queue too (depth, peek), so it
 * can fail the same ways a receive can: then the host logs it and goes on, rather than ending the
 * role for a busy database.
 */
export async function stopWhenEmpty(
  options: ReceiveStepOptions & { readonly shouldStopWhenEmpty?: () => boolean | Promise<boolean> },
): Promise<boolean> {
  try {
    return (await options.shouldStopWhenEmpty?.()) === true;
  } catch (error) {
    options.logger.warn("idleCheckFailed", { queue: options.queueName, error: describeError(error) });
    options.metrics.increment("idleCheckFailed");
    await options.clock.sleep(receiveRetryMs, options.signal);
    return false;
  }
}

/**
 * Lets the event loop run its timers, I/O and signal handlers before the next turn of a host loop.
 * A receive that finds messages due, a handler that decides without I/O (a budget deferral, a
 * malformed or drifted row) and the settlements can all resolve without ever leaving the microtask
 * queue: while messages stayed due, no lock was renewed, no request timed out and Ctrl-C went
 * unheard (windows bounced by a hung tenant's share came due again faster than one pass took).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
