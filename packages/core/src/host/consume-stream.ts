import type { Outcome } from "../contracts/outcome.ts";
import { describeError } from "../errors.ts";
import type { ReceivedMessage } from "../ports/queue.ts";
import { CoalescingSender } from "./coalescing-sender.ts";
import { LockKeeper } from "./lock-keeper.ts";
import { Outstanding } from "./outstanding.ts";
import { nextTurn, pauseIfAsked, receiveOrWait, stopWhenEmpty } from "./receive-step.ts";
import { abandonMessage, type SettleOptions, settleMessage } from "./settle-message.ts";

/**
 * A stage that decides each message's outcome in its own time, so the host can go on receiving
 * while earlier messages are still being worked on (the sink keeps rows until a batch is full and
 * uploads while more rows arrive). It never settles anything itself.
 */
export interface StreamHandler {
  /** How many more messages it takes now; 0 while its bound on held work is reached. */
  room(): number;
  /** Resolves once `room()` may be above 0 (at once if it is), or when `signal` aborts. */
  whenRoom(signal: AbortSignal): Promise<void>;
  /**
   * Takes one message. `report` must be called exactly once: with the message's outcome, or with
   * an Error when the handler itself failed (a bug, not a verdict: the message is abandoned).
   */
  accept(message: ReceivedMessage, report: (result: Outcome | Error) => void): void;
  /** Starts on everything held back waiting for company, now (shutdown, or idle with nothing to add). */
  flush(): void;
}

export interface ConsumeStreamOptions extends SettleOptions {
  readonly handler: StreamHandler;
  /** Messages per receive at most (the handler's `room()` may ask for fewer). */
  readonly maxBatchSize: number;
  readonly maxWaitTimeInMs: number;
  readonly signal: AbortSignal;
  /** Called after an empty receive once everything taken is settled; return true to stop. */
  readonly shouldStopWhenEmpty?: () => boolean | Promise<boolean>;
  /** Asked before each receive: ms to wait first (0: receive now). See `ConsumeOptions.pauseFor`. */
  readonly pauseFor?: () => number;
  /**
   * Settlements that may be running at once; default 2 × `maxBatchSize` (one batch settling while
   * the next is received and decided). Messages the handler decides at once (malformed or drifted
   * rows, dead-lettered) hold no room in the handler, so without this bound a backlog of them was
   * received as fast as the queue handed them out while their settlements piled up in memory. A
   * receive waits until its whole batch fits under the bound; messages the handler holds (bounded
   * by its `room()`) may add up to that many more when their outcomes arrive together.
   */
  readonly maxPendingSettlements?: number;
  /**
   * After the handler's `flush` threw, how long to wait for outcomes still to come before giving
   * up on the rest; default 60 s. A broken handler may never report what it held: waiting for it
   * forever would hang shutdown with its locks renewed. Given up, those locks run out and the
   * messages are delivered again.
   */
  readonly flushFailureGraceMs?: number;
}

/**
 * The pipelined host loop: receive while the handler has room, hand each message over, settle each
 * one as soon as its outcome is reported. Receiving, the handler's work and settling overlap; the
 * handler's `room()` bounds what it holds, `maxPendingSettlements` what is being settled.
 * Invariant: a message is settled only by the outcome the handler reported for it; a crash before
 * that leaves it locked, then redelivered.
 * On abort (and before stopping when idle) the handler is flushed and the loop returns only once
 * every message it took is settled: nothing is left uploaded-but-unsettled by a clean stop.
 */
export async function consumeStream(options: ConsumeStreamOptions): Promise<void> {
  const { receiver, handler, signal } = options;
  const outstanding = new Outstanding();
  const maxPending = Math.max(1, options.maxPendingSettlements ?? 2 * options.maxBatchSize);
  // Held rows may wait for company and then for an upload's retries: their locks are kept meanwhile.
  const locks = new LockKeeper(options);
  // Retry copies reported together (a failed upload's rows) go out in one send.
  const settling = { ...options, sender: new CoalescingSender(options.sender) };
  const report = (message: ReceivedMessage) => (result: Outcome | Error) => {
    outstanding.track(
      locks.keepWhileSettling(message, () =>
        result instanceof Error ? abandon(options, message, result) : settleMessage(settling, message, result),
      ),
    );
  };
  try {
    while (!signal.aborted) {
      await nextTurn();
      await pauseIfAsked(options);
      await handler.whenRoom(signal);
      const room = Math.min(options.maxBatchSize, handler.room(), maxPending);
      if (signal.aborted || room <= 0) continue;
      // Backpressure: every message of this receive may be settled at once, so it must fit.
      await outstanding.settlingAtMost(maxPending - room, signal);
      if (signal.aborted) continue;
      const messages = await receiveOrWait(options, () =>
        receiver.receiveMessages(room, { maxWaitTimeInMs: options.maxWaitTimeInMs }),
      );
      if (messages === undefined) continue;
      if (messages.length === 0) {
        if (options.shouldStopWhenEmpty === undefined) continue;
        handler.flush();
        await outstanding.settled();
        if (await stopWhenEmpty(options)) return;
        continue;
      }
      for (const message of messages) {
        outstanding.taken();
        locks.hold(message);
        const reportOnce = once(report(message));
        // A handler that throws instead of reporting still gets its message abandoned, not held.
        try {
          handler.accept(message, reportOnce);
        } catch (error) {
          reportOnce(error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  } finally {
    try {
      handler.flush();
      await outstanding.settled();
    } catch (error) {
      // A failing flush must not skip the wait for outcomes still coming, but must not wait
      // forever either: what stays unreported is released to lock expiry, so delivered again.
      options.logger.error("handlerFlushFailed", { queue: options.queueName, error: describeError(error) });
      options.metrics.increment("handlerFailed");
      await settledWithin(outstanding, options.clock, options.flushFailureGraceMs ?? 60_000);
    }
    await locks.close();
  }
}

/** Waits until nothing is outstanding, or `ms` at most. */
async function settledWithin(outstanding: Outstanding, clock: ConsumeStreamOptions["clock"], ms: number): Promise<void> {
  const done = new AbortController();
  await Promise.race([outstanding.settled(), clock.sleep(ms, done.signal).catch(() => undefined)]);
  done.abort();
}

async function abandon(options: ConsumeStreamOptions, message: ReceivedMessage, error: Error): Promise<void> {
  options.logger.error("handlerFailed", { queue: options.queueName, messageId: message.messageId, error: describeError(error) });
  options.metrics.increment("handlerFailed");
  await abandonMessage(options, message);
}

/** A handler bug that reports twice must not settle twice (the second settlement would fail anyway). */
function once<T>(f: (value: T) => void): (value: T) => void {
  let called = false;
  return (value) => {
    if (called) return;
    called = true;
    f(value);
  };
}
