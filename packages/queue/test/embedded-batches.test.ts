import type { ReceivedMessage } from "@xdr-relay/core";
import { beforeEach, describe, expect, it } from "vitest";
import { EmbeddedQueueClient, type EmbeddedReceivedMessage, isMessageLockLostError } from "../src/index.ts";
import { useTempDir } from "./temp-dir.ts";

/**
 * Sends, receives and completes are applied a batch per statement: each message must still get
 * the outcome it would have had on its own.
 */
describe("embedded queue batches", () => {
  const dir = useTempDir();
  let now = 0;
  beforeEach(() => {
    now = 1_000_000;
  });
  const open = () =>
    dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), clock: { now: () => now }, lockDurationMs: 1_000 }));
  const message = (messageId: string) => ({ messageId, body: { id: messageId } });
  const outcome = (settled: Promise<void>) =>
    settled.then(
      () => "done",
      (e: unknown) => (isMessageLockLostError(e) ? "lockLost" : `error: ${String(e)}`),
    );
  const receive = async (client: EmbeddedQueueClient, count: number): Promise<ReceivedMessage[]> =>
    client.createReceiver("rows").receiveMessages(count, { maxWaitTimeInMs: 0 });

  it("completes the messages whose locks are held and reports MessageLockLost only for the one whose lock expired", async () => {
    const client = open();
    await client.createSender("rows").sendMessages(["a", "b", "c"].map(message));
    const receiver = client.createReceiver("rows");
    const [a] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    now += 500;
    const [b, c] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 0 });
    if (!a || !b || !c) throw new Error("expected three messages");
    now += 700; // a's lock (until +1,000) expired; b's and c's (until +1,500) hold
    const settled = await Promise.all([a, b, c].map((m) => outcome(receiver.completeMessage(m))));
    expect(settled).toEqual(["lockLost", "done", "done"]);
    expect(client.stats("rows")).toMatchObject({ active: 1, locked: 0 });
    expect((await receive(client, 10)).map((m) => [m.messageId, m.deliveryCount])).toEqual([["a", 2]]);
  });

  it("credits a complete to the delivery whose lock matched when an expired holder completes the same message in that turn", async () => {
    const client = open();
    await client.createSender("rows").sendMessages([message("a")]);
    const receiver = client.createReceiver("rows");
    const [expired] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    now += 1_500; // its lock expired: the message is delivered again, under a new token
    const [current] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    if (!expired || !current) throw new Error("expected two deliveries of a");
    const settled = await Promise.all([expired, current].map((m) => outcome(receiver.completeMessage(m))));
    expect(settled).toEqual(["lockLost", "done"]);
    expect(client.stats("rows")).toMatchObject({ active: 0, locked: 0 });
  });

  it("skips exhausted messages in a receive, dead-letters them, and fills the batch with the next ones in order", async () => {
    const client = dir.track(
      new EmbeddedQueueClient({
        path: dir.file("queue.sqlite"),
        clock: { now: () => now },
        lockDurationMs: 1_000,
        maxDeliveryCount: 2,
      }),
    );
    const sender = client.createSender("rows");
    await sender.sendMessages(["a", "b", "c"].map(message));
    const receiver = client.createReceiver("rows");
    await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 }); // a, delivery 1
    now += 1_500;
    const second = await receiver.receiveMessages(3, { maxWaitTimeInMs: 0 }); // a (delivery 2), b, c
    expect(second.map((m) => [m.messageId, m.deliveryCount])).toEqual([
      ["a", 2],
      ["b", 1],
      ["c", 1],
    ]);
    await Promise.all(second.slice(1).map((m) => receiver.completeMessage(m)));
    now += 1_500; // a's second lock expired: it is due, and exhausted
    await sender.sendMessages(["d", "e", "f"].map(message));
    const third = await receiver.receiveMessages(3, { maxWaitTimeInMs: 0 });
    expect(third.map((m) => [m.messageId, m.deliveryCount])).toEqual([
      ["d", 1],
      ["e", 1],
      ["f", 1],
    ]);
    const dead = await client.peekMessages("rows", { subQueue: "deadLetter", maxMessageCount: 10 });
    expect(dead.map((m) => [m.messageId, m.deliveryCount, m.deadLetterReason])).toEqual([["a", 2, "MaxDeliveryCountExceeded"]]);
  });

  it("rejects the second complete of one delivery asked for in the same turn", async () => {
    const client = open();
    await client.createSender("rows").sendMessages([message("twice")]);
    const receiver = client.createReceiver("rows");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    if (!m) throw new Error("expected a message");
    expect(await Promise.all([outcome(receiver.completeMessage(m)), outcome(receiver.completeMessage(m))])).toEqual([
      "done",
      "lockLost",
    ]);
    expect(client.stats("rows")).toMatchObject({ active: 0, locked: 0 });
  });

  it("applies settlements of one turn in the order asked: an abandon first makes the complete after it lose the lock", async () => {
    const client = open();
    await client.createSender("rows").sendMessages(["x", "y"].map(message));
    const receiver = client.createReceiver("rows");
    const [x, y] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 0 });
    if (!x || !y) throw new Error("expected two messages");
    const settled = await Promise.all([
      outcome(receiver.completeMessage(y)),
      outcome(receiver.abandonMessage(x)),
      outcome(receiver.completeMessage(x)),
    ]);
    expect(settled).toEqual(["done", "done", "lockLost"]);
    expect((await receive(client, 10)).map((m) => [m.messageId, m.deliveryCount])).toEqual([["x", 2]]);
  });

  it("enqueues a large batch in its order, with a distinct lock token per message", async () => {
    const client = open();
    const ids = Array.from({ length: 3_000 }, (_, i) => `m-${i}`);
    await client.createSender("rows").sendMessages(ids.map(message));
    const got = (await receive(client, 5_000)) as EmbeddedReceivedMessage[];
    expect(got.map((m) => m.messageId)).toEqual(ids);
    expect(got.map((m) => m.body)).toEqual(ids.map((id) => ({ id })));
    const seqs = got.map((m) => m.sequenceNumber);
    expect(seqs).toEqual([...seqs].sort((p, q) => p - q));
    expect(new Set(got.map((m) => m.lockToken)).size).toBe(ids.length);
  });

  it("drops ids already in the history and repeats within a batch, counting each, and keeps each message's schedule", async () => {
    const client = open();
    const sender = client.createSender("rows");
    await sender.sendMessages([message("seen")]);
    await sender.sendMessages([
      message("seen"),
      { messageId: "new", body: "first" },
      { messageId: "new", body: "second" },
      { messageId: "later", body: "later", scheduledEnqueueTimeUtc: new Date(now + 5_000) },
      { messageId: "past", body: "past", scheduledEnqueueTimeUtc: new Date(now - 5_000) },
    ]);
    expect(client.stats("rows")).toMatchObject({ active: 3, scheduled: 1, duplicatesDropped: 2 });
    const receiver = client.createReceiver("rows");
    const due = await receiver.receiveMessages(10, { maxWaitTimeInMs: 0 });
    expect(due.map((m) => [m.messageId, m.body])).toEqual([
      ["seen", { id: "seen" }],
      ["new", "first"],
      ["past", "past"],
    ]);
    // A message scheduled in the past is enqueued now, as Service Bus does.
    expect(due[2]?.enqueuedTimeUtc).toEqual(new Date(now));
    await Promise.all(due.map((m) => receiver.completeMessage(m)));
    now += 5_000;
    expect((await receive(client, 10)).map((m) => [m.messageId, m.enqueuedTimeUtc.getTime()])).toEqual([["later", now]]);
  });
});
