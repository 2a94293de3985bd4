import type { DeadLetterDetails, OutgoingMessage, QueueReceiver, QueueSender, ReceivedMessage } from "../ports/queue.ts";
import { type Clock, CounterMetrics, silentLogger } from "../ports/runtime.ts";

/**
 * In-memory stand-ins for the queue port, for tests of the hosts (not exported from the package).
 * They record what was settled and sent, in order, so a test can assert on the sequence.
 */
export function receivedMessage(messageId: string, body: unknown = { attempt: 0 }): ReceivedMessage {
  return { messageId, body, deliveryCount: 1, sequenceNumber: 0, enqueuedTimeUtc: new Date(0), lockedUntilUtc: undefined };
}

/** One shared log of every call both fakes saw, e.g. `send:r-…` then `complete:m1`. */
export type QueueLog = string[];

export class FakeSender implements QueueSender {
  readonly sent: OutgoingMessage[] = [];
  constructor(private readonly log: QueueLog = []) {}
  async sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const m of messages) this.log.push(`send:${m.messageId}`);
    this.sent.push(...messages);
  }
  async close(): Promise<void> {}
}

/**
 * Hands out `arrivals` in order, one element per `receiveMessages` call (cut to the count asked
 * for), then nothing: so a test controls how many messages each receive finds.
 */
export class FakeReceiver implements QueueReceiver {
  readonly completed: string[] = [];
  readonly abandoned: string[] = [];
  readonly deadLettered: { messageId: string; details: DeadLetterDetails }[] = [];
  readonly receiveCalls: number[] = [];
  constructor(
    private readonly arrivals: ReceivedMessage[][] = [],
    private readonly log: QueueLog = [],
  ) {}
  async receiveMessages(maxMessageCount: number): Promise<ReceivedMessage[]> {
    this.receiveCalls.push(maxMessageCount);
    const next = this.arrivals.shift() ?? [];
    const taken = next.splice(0, maxMessageCount);
    if (next.length > 0) this.arrivals.unshift(next);
    return taken;
  }
  async completeMessage(m: ReceivedMessage): Promise<void> {
    this.log.push(`complete:${m.messageId}`);
    this.completed.push(m.messageId);
  }
  async abandonMessage(m: ReceivedMessage): Promise<void> {
    this.log.push(`abandon:${m.messageId}`);
    this.abandoned.push(m.messageId);
  }
  async deadLetterMessage(m: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    this.log.push(`deadLetter:${m.messageId}`);
    this.deadLettered.push({ messageId: m.messageId, details });
  }
  async renewMessageLock(): Promise<Date> {
    return new Date(0);
  }
  async close(): Promise<void> {}
}

/** A clock that stands still unless a test moves it. */
export function fixedClock(nowMs: number): Clock & { nowMs: number } {
  return {
    nowMs,
    now() {
      return this.nowMs;
    },
    sleep: async () => undefined,
  };
}

/** What every host loop test passes alike: a fake queue, a stopped clock, and stop once empty. */
export function hostOptions(receiver: FakeReceiver) {
  return {
    queueName: "rows",
    receiver,
    sender: new FakeSender(),
    clock: fixedClock(0) as Clock,
    logger: silentLogger,
    metrics: new CounterMetrics(),
    maxBatchSize: 10,
    maxWaitTimeInMs: 1_000,
    signal: new AbortController().signal,
    shouldStopWhenEmpty: (): boolean => true,
  };
}

/**
 * A clock that moves only when a test calls `advance`: each sleeper due on the way wakes at its own
 * instant and gets to run (and start its next sleep) before time moves on.
 */
export class ManualClock implements Clock {
  private nowMs = 0;
  private sleepers: { readonly atMs: number; readonly wake: () => void }[] = [];

  now(): number {
    return this.nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      // Either way it wakes, the other way is undone: no listener piles up on a long-lived signal.
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      const sleeper = {
        atMs: this.nowMs + ms,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async advance(ms: number): Promise<void> {
    const untilMs = this.nowMs + ms;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.sleepers.reduce<(typeof this.sleepers)[number] | undefined>(
        (a, b) => (a && a.atMs <= b.atMs ? a : b),
        undefined,
      );
      if (next === undefined || next.atMs > untilMs) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.wake();
    }
    this.nowMs = untilMs;
  }
}
