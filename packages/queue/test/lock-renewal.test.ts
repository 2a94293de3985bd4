import {
  CounterMetrics,
  consume,
  consumeStream,
  type Outcome,
  type ReceivedMessage,
  silentLogger,
  systemClock,
} from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { EmbeddedQueueClient } from "../src/index.ts";
import { useTempDir } from "./temp-dir.ts";

/**
 * A stage may work on a message far longer than its lock (a 3-minute hunting call against a
 * 60-second lock). The host keeps the lock, so the message is neither handed to another receiver
 * mid-work nor dead-lettered after repeated losses. Here: 300 ms locks, 1.2 s of work.
 */
/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("hosts keep the locks of messages still being worked on", () => {
  const dir = useTempDir();
  const lockDurationMs = 300;
  const workMs = 1_200;

  async function setUp() {
    const client = dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), lockDurationMs, maxDeliveryCount: 2 }));
    await client.createSender("windows").sendMessages([{ messageId: "w-1", body: { n: 1 } }]);
    const metrics = new CounterMetrics();
    const base = {
      queueName: "windows",
      receiver: client.createReceiver("windows"),
      sender: client.createSender("windows"),
      clock: systemClock,
      logger: silentLogger,
      metrics,
      maxBatchSize: 10,
      maxWaitTimeInMs: 50,
    };
    return { client, metrics, base };
  }

  /** Once the host has the message, a second receiver polls: it must never get it while it is worked on. */
  async function rival(client: EmbeddedQueueClient, taken: Promise<void>, until: Promise<unknown>): Promise<ReceivedMessage[]> {
    await taken;
    const receiver = client.createReceiver("windows");
    const stolen: ReceivedMessage[] = [];
    let done = false;
    void until.then(() => {
      done = true;
    });
    while (!done) stolen.push(...(await receiver.receiveMessages(1, { maxWaitTimeInMs: 100 })));
    return stolen;
  }

  it("consume: the slow message completes once, delivered once", async () => {
    const { client, metrics, base } = await setUp();
    const stop = new AbortController();
    const deliveries: number[] = [];
    const taken = signal();
    const run = consume({
      ...base,
      signal: stop.signal,
      shouldStopWhenEmpty: () => true,
      handler: async (messages) => {
        deliveries.push(...messages.map((m) => m.deliveryCount));
        taken.resolve();
        await systemClock.sleep(workMs);
        return messages.map((): Outcome => ({ kind: "completed" }));
      },
    });
    const stolen = await rival(client, taken.promise, run);
    expect({ deliveries, stolen: stolen.length, completed: metrics.get("windowsMessageCompleted") }).toEqual({
      deliveries: [1],
      stolen: 0,
      completed: 1,
    });
    expect(metrics.get("windowsLockRenewed")).toBeGreaterThanOrEqual(2);
    expect(client.stats("windows")).toMatchObject({ active: 0, locked: 0, deadLettered: 0 });
  });

  it("consumeStream: a message held by the handler keeps its lock until its outcome is reported", async () => {
    const { client, metrics, base } = await setUp();
    const stop = new AbortController();
    let held = 0;
    const taken = signal();
    const run = consumeStream({
      ...base,
      signal: stop.signal,
      shouldStopWhenEmpty: () => true,
      handler: {
        room: () => 1 - held,
        whenRoom: async (stopped) => {
          while (held > 0 && !stopped.aborted) await systemClock.sleep(10, stopped);
        },
        accept: (_message, report) => {
          held++;
          taken.resolve();
          void systemClock.sleep(workMs).then(() => {
            held--;
            report({ kind: "completed" });
          });
        },
        flush: () => {},
      },
    });
    const stolen = await rival(client, taken.promise, run);
    expect({ stolen: stolen.length, completed: metrics.get("windowsMessageCompleted") }).toEqual({ stolen: 0, completed: 1 });
    expect(client.stats("windows")).toMatchObject({ active: 0, locked: 0, deadLettered: 0 });
  });
});
