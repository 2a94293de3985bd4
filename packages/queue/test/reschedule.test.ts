import { type Outcome, type QueueReceiver, settlementSteps, systemClock } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { EmbeddedQueueClient, type EmbeddedQueueOptions } from "../src/index.ts";
import { useTempDir } from "./temp-dir.ts";

/** A retry on the embedded queue: the copy and the original's completion commit together. */
describe("EmbeddedReceiver.rescheduleMessage", () => {
  const dir = useTempDir();
  let now = 1_000_000;
  const open = (options: Partial<EmbeddedQueueOptions> = {}) =>
    dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), clock: { now: () => now }, ...options }));

  async function received(client: EmbeddedQueueClient) {
    await client.createSender("rows").sendMessages([{ messageId: "row-1", body: { row: 1 } }]);
    // The embedded receiver has the optional method.
    const receiver = client.createReceiver("rows") as Required<QueueReceiver>;
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    if (!message) throw new Error("expected a message");
    return { receiver, message };
  }

  it("leaves the copy, scheduled, and not the original", async () => {
    const client = open();
    const { receiver, message } = await received(client);
    const copy = { messageId: "row-1.r1", body: { row: 1, attempt: 1 }, scheduledEnqueueTimeUtc: new Date(now + 5_000) };
    await receiver.rescheduleMessage(message, copy);
    expect(client.stats("rows")).toMatchObject({ active: 0, scheduled: 1, locked: 0 });
    now += 5_000;
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(again).toMatchObject({ messageId: "row-1.r1", body: { row: 1, attempt: 1 } });
  });

  it("enqueues nothing when the lock was lost: the original is delivered again instead", async () => {
    const client = open({ lockDurationMs: 1_000 });
    const { receiver, message } = await received(client);
    now += 2_000;
    await expect(receiver.rescheduleMessage(message, { messageId: "row-1.r1", body: {} })).rejects.toThrow(/lock/i);
    expect(client.stats("rows")).toMatchObject({ active: 1, scheduled: 0 });
  });

  it("keeps the original, locked, when the copy is refused: both or neither", async () => {
    const client = open({ maxMessageBytes: 1_024 });
    const { receiver, message } = await received(client);
    const tooBig = { messageId: "row-1.r1", body: { pad: "x".repeat(2_000) } };
    await expect(receiver.rescheduleMessage(message, tooBig)).rejects.toThrow();
    expect(client.stats("rows")).toMatchObject({ active: 0, scheduled: 0, locked: 1 });
    await receiver.completeMessage(message); // the lock is still good
    expect(client.stats("rows")).toMatchObject({ locked: 0 });
  });

  it("is what a host's retry uses: no separate send, so no moment with the original and its copy both live", async () => {
    const client = open();
    const { receiver, message } = await received(client);
    const sends: unknown[] = [];
    const sender = { sendMessages: async (m: unknown) => void sends.push(m), close: async () => undefined };
    const outcome: Outcome = { kind: "retry", delayMs: 10_000, reason: "429", retryBody: { attempt: 0, throttles: 1 } };
    const steps = settlementSteps({ receiver, sender, clock: systemClock }, message, outcome);
    expect(steps).toHaveLength(1);
    for (const step of steps) await step();
    expect(sends).toEqual([]);
    expect(client.stats("rows")).toMatchObject({ active: 0, scheduled: 1, locked: 0 });
  });
});
