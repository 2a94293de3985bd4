import { describe, expect, it } from "vitest";
import { completed, deadLetter, type Outcome } from "../contracts/outcome.ts";
import type { DeadLetterDetails, ReceivedMessage } from "../ports/queue.ts";
import type { CounterMetrics } from "../ports/runtime.ts";
import { type ConsumeStreamOptions, consumeStream, type StreamHandler } from "./consume-stream.ts";
import { FakeReceiver, hostOptions, type QueueLog, receivedMessage } from "./queue-fakes.ts";

const ids = (...names: string[]) => names.map((n) => receivedMessage(n));

/**
 * A handler that holds every message until `flush()` (or until told to answer one), like a sink
 * waiting for a batch to fill, and records when it was flushed relative to the queue's calls.
 */
class HoldingHandler implements StreamHandler {
  readonly held = new Map<string, (result: Outcome | Error) => void>();
  flushes = 0;
  constructor(
    private readonly log: QueueLog,
    private readonly outcomeOf: (id: string) => Outcome | Error = () => completed,
    private readonly capacity = Number.POSITIVE_INFINITY,
  ) {}
  room(): number {
    return Math.max(0, this.capacity - this.held.size);
  }
  /** Full: its held work "finishes" a moment later, as uploads would. */
  async whenRoom(): Promise<void> {
    if (this.room() > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
    for (const id of [...this.held.keys()]) this.answer(id);
  }
  accept(message: ReceivedMessage, report: (result: Outcome | Error) => void): void {
    this.log.push(`accept:${message.messageId}`);
    this.held.set(message.messageId, report);
  }
  answer(id: string): void {
    this.held.get(id)?.(this.outcomeOf(id));
    this.held.delete(id);
  }
  flush(): void {
    this.flushes++;
    this.log.push("flush");
    for (const id of [...this.held.keys()]) this.answer(id);
  }
}

/** A queue that aborts `stop` on its first empty receive, so the loop shuts down with what it took. */
class StopWhenEmptyReceiver extends FakeReceiver {
  constructor(
    arrivals: ReceivedMessage[][],
    log: QueueLog,
    private readonly stop: AbortController,
  ) {
    super(arrivals, log);
  }
  override async receiveMessages(max: number): Promise<ReceivedMessage[]> {
    const taken = await super.receiveMessages(max);
    if (taken.length === 0) this.stop.abort();
    return taken;
  }
}

/** A queue whose settlements take a while (a slow disk, a far Service Bus): counts how many run at once. */
class SlowSettlingReceiver extends FakeReceiver {
  constructor(
    arrivals: ReceivedMessage[][],
    private readonly delay: () => Promise<unknown> = () => new Promise((resolve) => setTimeout(resolve, 1)),
  ) {
    super(arrivals);
  }
  inFlight = 0;
  maxInFlight = 0;
  private async slowly(settle: () => Promise<void>): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.delay();
      await settle();
    } finally {
      this.inFlight--;
    }
  }
  override completeMessage(m: ReceivedMessage): Promise<void> {
    return this.slowly(() => super.completeMessage(m));
  }
  override deadLetterMessage(m: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    return this.slowly(() => super.deadLetterMessage(m, details));
  }
}

/** Decides every message on the spot, as the sink does for a malformed or drifted row. */
const deadLetterAtOnce: StreamHandler = {
  room: () => 1_000,
  whenRoom: async () => undefined,
  accept: (_m, report) => report(deadLetter("SchemaDrift", "column Foo is not declared")),
  flush: () => undefined,
};

/** A clock whose sleeps take real time, for waits that must outlast outcomes arriving later. */
const realTimers = {
  now: () => 0,
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      const wake = () => {
        clearTimeout(timer);
        done();
      };
      signal?.addEventListener("abort", wake, { once: true });
    }),
};

function options(
  receiver: FakeReceiver,
  handler: StreamHandler,
  overrides: Partial<ConsumeStreamOptions> = {},
): ConsumeStreamOptions & { metrics: CounterMetrics } {
  return { ...hostOptions(receiver), handler, ...overrides } as ConsumeStreamOptions & { metrics: CounterMetrics };
}

describe("consumeStream", () => {
  it("keeps receiving while earlier messages wait for their outcome, then settles each by its own", async () => {
    const log: QueueLog = [];
    const receiver = new FakeReceiver([ids("a", "b"), ids("c")], log);
    const handler = new HoldingHandler(log, (id) => (id === "b" ? deadLetter("RowTooLarge", "2 MB") : completed));
    await consumeStream(options(receiver, handler));
    // Both receives happened before anything was settled: receiving does not wait on outcomes.
    expect(log.slice(0, 4)).toEqual(["accept:a", "accept:b", "accept:c", "flush"]);
    expect(receiver.completed.sort()).toEqual(["a", "c"]);
    expect(receiver.deadLettered.map((d) => d.messageId)).toEqual(["b"]);
  });

  it("settles a message as soon as its outcome is reported, before the others", async () => {
    const log: QueueLog = [];
    const handler = new HoldingHandler(log);
    const receiver = new (class extends FakeReceiver {
      override async receiveMessages(max: number): Promise<ReceivedMessage[]> {
        if (this.receiveCalls.length === 1) handler.answer("b");
        return super.receiveMessages(max);
      }
    })([ids("a", "b"), ids("c")], log);
    await consumeStream(options(receiver, handler));
    expect(log.indexOf("complete:b")).toBeLessThan(log.indexOf("flush"));
    expect(receiver.completed).toEqual(["b", "a", "c"]);
  });

  it("asks for no more than the handler has room for", async () => {
    const log: QueueLog = [];
    const handler = new HoldingHandler(log, () => completed, 3);
    const receiver = new FakeReceiver([ids("a", "b", "c", "d", "e")], log);
    await consumeStream(options(receiver, handler, { maxBatchSize: 10 }));
    expect(receiver.receiveCalls[0]).toBe(3);
    expect(receiver.completed.sort()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("on abort, flushes the handler and returns only once every message taken is settled", async () => {
    const log: QueueLog = [];
    const stop = new AbortController();
    const handler = new (class extends HoldingHandler {
      override flush(): void {
        // The upload of what was held takes a while: the host must wait for it, then settle.
        this.flushes++;
        this.log2.push("flush");
        setTimeout(() => {
          for (const id of [...this.held.keys()]) this.answer(id);
        }, 20);
      }
      log2 = log;
    })(log);
    const receiver = new StopWhenEmptyReceiver([ids("a", "b")], log, stop);
    await consumeStream(options(receiver, handler, { signal: stop.signal, shouldStopWhenEmpty: undefined }));
    expect(handler.flushes).toBeGreaterThan(0);
    expect(receiver.completed.sort()).toEqual(["a", "b"]);
    expect(log.at(-1)).toMatch(/^complete:/);
  });

  it("still waits for every outcome when the handler's flush throws on the way out", async () => {
    const log: QueueLog = [];
    const stop = new AbortController();
    const handler = new (class extends HoldingHandler {
      override flush(): void {
        // Starts the held work, then fails (a bug): the outcomes still arrive a moment later.
        setTimeout(() => {
          for (const id of [...this.held.keys()]) this.answer(id);
        }, 20);
        throw new Error("flush bug");
      }
    })(log);
    const receiver = new StopWhenEmptyReceiver([ids("a", "b")], log, stop);
    const run = options(receiver, handler, { signal: stop.signal, shouldStopWhenEmpty: undefined, clock: realTimers });
    await consumeStream(run);
    expect(receiver.completed.sort()).toEqual(["a", "b"]);
    expect(run.metrics.get("handlerFailed")).toBe(1);
  });

  it("stops waiting after a grace when a failed flush never reports what it held, and settles none of it", async () => {
    const log: QueueLog = [];
    const stop = new AbortController();
    const handler = new (class extends HoldingHandler {
      override flush(): void {
        throw new Error("flush bug"); // and the held messages are never answered
      }
    })(log);
    const receiver = new StopWhenEmptyReceiver([ids("a", "b")], log, stop);
    const run = options(receiver, handler, {
      signal: stop.signal,
      shouldStopWhenEmpty: undefined,
      clock: realTimers,
      flushFailureGraceMs: 50,
    });
    await consumeStream(run); // returned: before, this waited forever
    // Neither completed nor abandoned: their locks run out and they are delivered again.
    expect([...receiver.completed, ...receiver.abandoned]).toEqual([]);
    expect(run.metrics.get("handlerFailed")).toBe(1);
  });

  it("abandons a message the handler failed on (a bug), and carries on with the rest", async () => {
    const log: QueueLog = [];
    const handler = new HoldingHandler(log, (id) => (id === "a" ? new Error("boom") : completed));
    const receiver = new FakeReceiver([ids("a", "b")], log);
    const o = options(receiver, handler);
    await consumeStream(o);
    expect(receiver.abandoned).toEqual(["a"]);
    expect(receiver.completed).toEqual(["b"]);
    expect(o.metrics.get("handlerFailed")).toBe(1);
  });

  it("says so when abandoning a failed message fails too, and carries on", async () => {
    const receiver = new (class extends FakeReceiver {
      override async abandonMessage(): Promise<void> {
        throw new Error("connection reset");
      }
    })([ids("a", "b")]);
    const handler = new HoldingHandler([], (id) => (id === "a" ? new Error("boom") : completed));
    const o = options(receiver, handler);
    await consumeStream(o);
    expect([o.metrics.get("handlerFailed"), o.metrics.get("abandonFailed")]).toEqual([1, 1]);
    expect(receiver.completed).toEqual(["b"]);
  });

  it("settles a message once even if the handler reports it twice", async () => {
    const receiver = new FakeReceiver([ids("a")]);
    const handler: StreamHandler = {
      room: () => 10,
      whenRoom: async () => undefined,
      accept: (_m, report) => {
        report(completed);
        report(deadLetter("RowTooLarge", "again"));
      },
      flush: () => undefined,
    };
    await consumeStream(options(receiver, handler));
    expect([receiver.completed, receiver.deadLettered]).toEqual([["a"], []]);
  });

  it("waits for every outcome before asking whether to stop when idle", async () => {
    const log: QueueLog = [];
    const handler = new HoldingHandler(log);
    const receiver = new FakeReceiver([ids("a")], log);
    let settledWhenAsked: string[] = [];
    await consumeStream(
      options(receiver, handler, {
        shouldStopWhenEmpty: () => {
          settledWhenAsked = [...receiver.completed];
          return true;
        },
      }),
    );
    expect(settledWhenAsked).toEqual(["a"]);
  });

  it("receives no more while its settlements are pending beyond the bound (2 × maxBatchSize), and settles every message", async () => {
    const backlog = Array.from({ length: 300 }, (_, i) => receivedMessage(`bad-${i}`));
    const receiver = new SlowSettlingReceiver([backlog]);
    await consumeStream(options(receiver, deadLetterAtOnce, { maxBatchSize: 10 }));
    expect(receiver.maxInFlight).toBeGreaterThan(10); // a receive overlaps the previous batch's settlements
    expect(receiver.maxInFlight).toBeLessThanOrEqual(20);
    expect(new Set(receiver.deadLettered.map((d) => d.messageId)).size).toBe(300);
    expect(receiver.inFlight).toBe(0);
  });

  it("asks for no more than fits under an explicit bound smaller than a batch", async () => {
    const backlog = Array.from({ length: 40 }, (_, i) => receivedMessage(`bad-${i}`));
    const receiver = new SlowSettlingReceiver([backlog]);
    await consumeStream(options(receiver, deadLetterAtOnce, { maxBatchSize: 10, maxPendingSettlements: 4 }));
    expect(receiver.maxInFlight).toBeLessThanOrEqual(4);
    expect(Math.max(...receiver.receiveCalls)).toBe(4);
    expect(receiver.deadLettered).toHaveLength(40);
  });

  it("stops waiting for settlement room when aborted, and still settles what it took", async () => {
    const stop = new AbortController();
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const receiver = new SlowSettlingReceiver([Array.from({ length: 50 }, (_, i) => receivedMessage(`bad-${i}`))], () => gate);
    let flushes = 0;
    const handler = { ...deadLetterAtOnce, flush: () => void flushes++ };
    const run = consumeStream(
      options(receiver, handler, { maxBatchSize: 10, signal: stop.signal, shouldStopWhenEmpty: undefined }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([receiver.receiveCalls, receiver.inFlight]).toEqual([[10, 10], 20]); // waiting for settlements
    stop.abort();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The abort ended the wait (the loop is in its final flush) without another receive.
    expect([receiver.receiveCalls, flushes]).toEqual([[10, 10], 1]);
    open();
    await run;
    expect([receiver.deadLettered.length, receiver.inFlight]).toEqual([20, 0]);
  });
});
