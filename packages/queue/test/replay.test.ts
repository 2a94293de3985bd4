import { type QueueClient, replayBody } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { EmbeddedQueueClient, replayDeadLetters } from "../src/index.ts";
import { useTempDir } from "./temp-dir.ts";

describe("replayDeadLetters when the send fails", () => {
  const dir = useTempDir();

  it("completes nothing, and releases the dead letters at once for a later replay", async () => {
    const client = dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), lockDurationMs: 60_000 }));
    await client.createSender("rows").sendMessages([{ messageId: "a", body: 1 }]);
    const receiver = client.createReceiver("rows");
    const [a] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    if (a === undefined) throw new Error("expected a message");
    await receiver.deadLetterMessage(a, { deadLetterReason: "IngestionFailed", deadLetterErrorDescription: "503" });

    // The real client, except that its senders fail (a fault injected at the port, not a module mock).
    const failing: QueueClient = {
      createReceiver: (queue, options) => client.createReceiver(queue, options),
      createSender: () => ({
        sendMessages: () => Promise.reject(new Error("network down")),
        close: async () => {},
      }),
      close: () => client.close(),
    };
    await expect(replayDeadLetters(failing, "rows", { maxWaitTimeInMs: 0 })).rejects.toThrow("network down");

    expect(client.stats("rows")).toMatchObject({ active: 0, deadLettered: 1 });
    const [still] = await client.createReceiver("rows", { subQueue: "deadLetter" }).receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(still?.messageId).toBe("a"); // abandoned, not left locked for a minute
  });
});

describe("replayDeadLetters with a body for the copies", () => {
  const dir = useTempDir();

  it("sends each copy with the body it makes (attempts reset), so a replayed row gets its attempts again", async () => {
    const client = dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), lockDurationMs: 60_000 }));
    const spent = { version: 1, rowId: "ab", attempt: 4, throttles: 2, row: { AlertId: "da1" } };
    await client.createSender("rows").sendMessages([{ messageId: "ab", body: spent }]);
    const receiver = client.createReceiver("rows");
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    if (m === undefined) throw new Error("expected a message");
    await receiver.deadLetterMessage(m, { deadLetterReason: "IngestionFailed", deadLetterErrorDescription: "failed 5 of 5" });

    const result = await replayDeadLetters(client, "rows", { body: replayBody, maxWaitTimeInMs: 0 });

    expect(result).toEqual({ replayed: 1, skipped: 0, lockLost: 0, later: 0 });
    const [copy] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(copy?.body).toEqual({ version: 1, rowId: "ab", attempt: 0, row: { AlertId: "da1" } });
    expect(client.stats("rows").deadLettered).toBe(0);
  });
});

describe("replayDeadLetters through a long replay", () => {
  const dir = useTempDir();

  it("reads on past skipped dead letters whose locks expired meanwhile, to the ones not read yet", async () => {
    let now = 1_000_000;
    const client = dir.track(
      new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), lockDurationMs: 1_000, clock: { now: () => now } }),
    );
    await client.createSender("rows").sendMessages(["a", "b", "c", "d"].map((messageId) => ({ messageId, body: messageId })));
    const receiver = client.createReceiver("rows");
    for (const m of await receiver.receiveMessages(4, { maxWaitTimeInMs: 0 })) {
      await receiver.deadLetterMessage(m, { deadLetterReason: "IngestionFailed", deadLetterErrorDescription: "503" });
    }

    // Skipping a and b takes longer than a lock: they are receivable again before c and d are read.
    const slowSkip = (m: { messageId: string }) => {
      if (m.messageId === "c" || m.messageId === "d") return true;
      now += 2_000;
      return false;
    };
    const result = await replayDeadLetters(client, "rows", { filter: slowSkip, batchSize: 2, maxWaitTimeInMs: 0 });

    expect(result).toEqual({ replayed: 2, skipped: 2, lockLost: 0, later: 0 });
    const copies = await receiver.receiveMessages(4, { maxWaitTimeInMs: 0 });
    expect(copies.map((m) => m.body)).toEqual(["c", "d"]);
    expect(client.stats("rows").deadLettered).toBe(2);
  });
});

describe("replayDeadLetters while a consumer runs", () => {
  const dir = useTempDir();

  /** A queue whose dead-letter queue holds a, b and c (IngestionRejected), and a receiver of the queue. */
  async function threeDeadLetters() {
    const client = dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), lockDurationMs: 60_000 }));
    await client.createSender("rows").sendMessages(["a", "b", "c"].map((messageId) => ({ messageId, body: messageId })));
    const receiver = client.createReceiver("rows");
    for (const m of await receiver.receiveMessages(3, { maxWaitTimeInMs: 0 })) {
      await receiver.deadLetterMessage(m, { deadLetterReason: "IngestionRejected", deadLetterErrorDescription: "400" });
    }
    return { client, receiver };
  }

  it("sends back only what was there when it began: a copy that fails again stays, and the replay ends", async () => {
    const { client, receiver } = await threeDeadLetters();
    // A running sink whose cause is not fixed: every copy is dead-lettered again the moment it arrives.
    const consumer: QueueClient = {
      createReceiver: (queue, options) => client.createReceiver(queue, options),
      createSender: (queue) => ({
        async sendMessages(messages) {
          await client.createSender(queue).sendMessages(messages);
          for (const m of await receiver.receiveMessages(messages.length, { maxWaitTimeInMs: 0 })) {
            await receiver.deadLetterMessage(m, { deadLetterReason: "IngestionRejected", deadLetterErrorDescription: "400" });
          }
        },
        close: async () => {},
      }),
      close: () => client.close(),
    };

    // Before, each copy that came back was a message not read yet: sent back again, without end.
    const result = await replayDeadLetters(consumer, "rows", { batchSize: 1, maxWaitTimeInMs: 0 });

    expect(result).toEqual({ replayed: 3, skipped: 0, lockLost: 0, later: 3 });
    expect(client.stats("rows")).toMatchObject({ active: 0, deadLettered: 3 });
  });

  it("stops after the batch in hand when its signal aborts, and says what it did", async () => {
    const { client } = await threeDeadLetters();
    const stop = new AbortController();
    // Ctrl-C while the first copy is being sent.
    const stopping: QueueClient = {
      createReceiver: (queue, options) => client.createReceiver(queue, options),
      createSender: (queue) => ({
        sendMessages: (messages) =>
          client
            .createSender(queue)
            .sendMessages(messages)
            .finally(() => stop.abort()),
        close: async () => {},
      }),
      close: () => client.close(),
    };

    const result = await replayDeadLetters(stopping, "rows", {
      batchSize: 1,
      maxWaitTimeInMs: 0,
      signal: stop.signal,
    });

    expect(result).toEqual({ replayed: 1, skipped: 0, lockLost: 0, later: 0 });
    expect(client.stats("rows")).toMatchObject({ active: 1, deadLettered: 2 });
  });
});
