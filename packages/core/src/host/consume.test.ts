import { describe, expect, it } from "vitest";
import { completed, deadLetter, type Outcome } from "../contracts/outcome.ts";
import type { ReceivedMessage } from "../ports/queue.ts";
import { CounterMetrics } from "../ports/runtime.ts";
import { type BatchHandler, consume } from "./consume.ts";
import { FakeReceiver, FakeSender, hostOptions, receivedMessage } from "./queue-fakes.ts";

const ids = (...names: string[]) => names.map((n) => receivedMessage(n));

/** Runs the host loop over `arrivals` until the queue is empty; returns what was settled and each batch's ids. */
async function run(
  arrivals: ReceivedMessage[][],
  handler: BatchHandler,
  options: { maxBatchSize?: number; lingerMs?: number } = {},
) {
  const receiver = new FakeReceiver(arrivals);
  const sender = new FakeSender();
  const metrics = new CounterMetrics();
  const batches: string[][] = [];
  await consume({
    ...hostOptions(receiver),
    sender,
    handler: (messages) => {
      batches.push(messages.map((m) => m.messageId));
      return handler(messages);
    },
    metrics,
    maxBatchSize: options.maxBatchSize ?? 10,
    lingerMs: options.lingerMs,
  });
  return { receiver, sender, metrics, batches };
}

describe("consume", () => {
  it("lets timers run between turns, so a stop is heard while messages keep coming due", async () => {
    let n = 0;
    // A queue that always has a message due, answering without I/O (as the embedded one can).
    const endless = new (class extends FakeReceiver {
      override async receiveMessages(): Promise<ReceivedMessage[]> {
        return [receivedMessage(`m${n++}`)];
      }
    })();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    await consume({
      ...hostOptions(endless),
      signal: stop.signal,
      handler: async (messages) => messages.map(() => completed),
    });
    expect(stop.signal.aborted).toBe(true);
    expect(n).toBeGreaterThan(0);
  });

  it("survives a failed receive: waits, receives again, and settles what comes", async () => {
    const receiver = new (class extends FakeReceiver {
      failures = 1;
      override async receiveMessages(max: number): Promise<ReceivedMessage[]> {
        if (this.failures-- > 0) throw new Error("connection reset");
        return super.receiveMessages(max);
      }
    })(ids("a", "b").map((m) => [m]));
    const metrics = new CounterMetrics();
    await consume({ ...hostOptions(receiver), handler: async (messages) => messages.map(() => completed), metrics });
    expect(metrics.get("receiveFailed")).toBe(1);
    expect(receiver.completed).toEqual(["a", "b"]);
  });

  it("handles what it already received when a receive fails while lingering, instead of dropping it under lock", async () => {
    const receiver = new (class extends FakeReceiver {
      override async receiveMessages(max: number): Promise<ReceivedMessage[]> {
        if (this.receiveCalls.length === 1) {
          this.receiveCalls.push(max);
          throw new Error("connection reset");
        }
        return super.receiveMessages(max);
      }
    })([ids("a", "b"), ids("c")]);
    const metrics = new CounterMetrics();
    const batches: string[][] = [];
    await consume({
      ...hostOptions(receiver),
      lingerMs: 1_000,
      handler: async (messages) => {
        batches.push(messages.map((m) => m.messageId));
        return messages.map(() => completed);
      },
      metrics,
    });
    expect(metrics.get("receiveFailed")).toBe(1);
    expect(batches).toEqual([["a", "b"], ["c"]]);
    expect(receiver.completed).toEqual(["a", "b", "c"]);
  });

  it("settles each message by its own outcome", async () => {
    const outcomes: Outcome[] = [
      completed,
      { kind: "retry", delayMs: 1_000, reason: "throttled", retryBody: { attempt: 0 } },
      deadLetter("RowTooLarge", "1.2 MB"),
    ];
    const { receiver, sender, metrics } = await run([ids("a", "b", "c")], async () => outcomes);
    expect(receiver.completed.sort()).toEqual(["a", "b"]);
    expect(sender.sent.map((m) => m.body)).toEqual([{ attempt: 0 }]);
    expect(receiver.deadLettered.map((d) => [d.messageId, d.details.deadLetterReason])).toEqual([["c", "RowTooLarge"]]);
    expect(receiver.abandoned).toEqual([]);
    expect([
      metrics.get("rowsMessageCompleted"),
      metrics.get("rowsMessageRetried"),
      metrics.get("rowsMessageDeadLettered"),
    ]).toEqual([1, 1, 1]);
  });

  it.each<[string, BatchHandler]>([
    [
      "the handler throws",
      async () => {
        throw new Error("bug");
      },
    ],
    ["the handler returns fewer outcomes than messages", async () => [completed]],
    ["the handler returns more outcomes than messages", async () => [completed, completed, completed, completed]],
  ])("abandons every message of the batch when %s", async (_, handler) => {
    const { receiver, sender, metrics } = await run([ids("a", "b", "c")], handler);
    expect(receiver.abandoned.sort()).toEqual(["a", "b", "c"]);
    expect([receiver.completed, receiver.deadLettered, sender.sent]).toEqual([[], [], []]);
    expect(metrics.get("handlerFailed")).toBe(1);
  });

  it.each([
    { lingerMs: undefined, maxBatchSize: 10, batches: [["a"], ["b", "c"], ["d"]] },
    { lingerMs: 0, maxBatchSize: 10, batches: [["a"], ["b", "c"], ["d"]] },
    { lingerMs: 1_000, maxBatchSize: 10, batches: [["a", "b", "c", "d"]] },
    { lingerMs: 1_000, maxBatchSize: 3, batches: [["a", "b", "c"], ["d"]] },
  ])("lingerMs $lingerMs, batch $maxBatchSize: handles $batches", async ({ lingerMs, maxBatchSize, batches }) => {
    const arrivals = [ids("a"), ids("b", "c"), ids("d")];
    const result = await run(arrivals, async (messages) => messages.map(() => completed), { lingerMs, maxBatchSize });
    expect(result.batches).toEqual(batches);
    expect(result.receiver.completed.sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("asks a lingering receive only for the room left in the batch", async () => {
    const { receiver } = await run([ids("a"), ids("b", "c")], async (messages) => messages.map(() => completed), {
      lingerMs: 1_000,
      maxBatchSize: 5,
    });
    expect(receiver.receiveCalls.slice(0, 3)).toEqual([5, 4, 2]);
  });

  it("waits what pauseFor asks before a receive, and receives nothing meanwhile", async () => {
    const receiver = new FakeReceiver([ids("a"), ids("b")]);
    const log: string[] = [];
    const pauses = [0, 5_000, 0];
    await consume({
      ...hostOptions(receiver),
      handler: async (messages) => {
        log.push(`handle:${messages.map((m) => m.messageId).join()}`);
        return messages.map(() => completed);
      },
      clock: { now: () => 0, sleep: async (ms) => void log.push(`sleep:${ms}`) },
      pauseFor: () => pauses.shift() ?? 0,
    });
    expect(log).toEqual(["handle:a", "sleep:5000", "handle:b"]);
  });

  it("stops without receiving when aborted during a pause", async () => {
    const receiver = new FakeReceiver([ids("a")]);
    const stop = new AbortController();
    await consume({
      ...hostOptions(receiver),
      handler: async (messages) => messages.map(() => completed),
      clock: { now: () => 0, sleep: async () => stop.abort() },
      signal: stop.signal,
      shouldStopWhenEmpty: undefined,
      pauseFor: () => 60_000,
    });
    expect(receiver.receiveCalls).toEqual([]);
  });
});
