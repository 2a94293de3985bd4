import { copyFileSync } from "node:fs";
import { isPermanentError, type OutgoingMessage } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/embedded/database.ts";
import { EmbeddedQueueClient, type EmbeddedQueueOptions } from "../src/index.ts";
import { useTempDir } from "./temp-dir.ts";

/** What the conformance suite cannot see: stats, peek, the injected clock, several connections. */
describe("EmbeddedQueueClient", () => {
  const dir = useTempDir();
  const open = (options: Partial<EmbeddedQueueOptions> = {}) =>
    dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), ...options }));
  const message = (messageId: string) => ({ messageId, body: { id: messageId } });

  it("counts active, scheduled, locked, dead-lettered and dropped duplicates", async () => {
    let now = 1_000_000;
    const client = open({ clock: { now: () => now }, lockDurationMs: 1_000 });
    const sender = client.createSender("rows");
    await sender.sendMessages(["a", "b", "c", "d"].map(message));
    await sender.sendMessages([message("a"), { ...message("later"), scheduledEnqueueTimeUtc: new Date(now + 5_000) }]);
    const receiver = client.createReceiver("rows");
    const [a, b] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 0 });
    if (a === undefined || b === undefined) throw new Error("expected two messages");
    await receiver.deadLetterMessage(b, { deadLetterReason: "RowTooLarge", deadLetterErrorDescription: "" });
    expect(client.stats("rows")).toEqual({ active: 2, scheduled: 1, locked: 1, deadLettered: 1, duplicatesDropped: 1 });

    now += 5_000; // the lock on `a` expired and `later` is due
    expect(client.stats("rows")).toMatchObject({ active: 4, scheduled: 0, locked: 0 });
  });

  it("leaves everything in the database file once closed, so a backup of the *.sqlite file alone is whole", async () => {
    const client = new EmbeddedQueueClient({ path: dir.file("queue.sqlite") });
    await client.createSender("rows").sendMessages(Array.from({ length: 500 }, (_, i) => message(`m${i}`)));
    await client.close();
    copyFileSync(dir.file("queue.sqlite"), dir.file("backup.sqlite"));
    const restored = open({ path: dir.file("backup.sqlite") });
    expect(restored.stats("rows")).toMatchObject({ active: 500 });
  });

  it("counts a message out of deliveries as dead-lettered without moving it: reading stats writes nothing", async () => {
    let now = 1_000_000;
    const relay = open({ clock: { now: () => now }, lockDurationMs: 1_000, maxDeliveryCount: 20 });
    await relay.createSender("rows").sendMessages([message("a")]);
    const receiver = relay.createReceiver("rows");
    for (let i = 0; i < 3; i++) {
      await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
      now += 2_000; // the lock expires: delivered again next time
    }
    // `xdr-relay status` run with another config (a limit of 2): it counts, and moves nothing.
    const reader = open({ clock: { now: () => now }, maxDeliveryCount: 2 });
    expect(reader.stats("rows")).toMatchObject({ active: 0, deadLettered: 1 });
    expect(relay.stats("rows")).toMatchObject({ active: 1, deadLettered: 0 });
    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(again).toMatchObject({ messageId: "a", deliveryCount: 4 });
  });

  it("tells its listener of each message it dead-letters by itself, after an expired last lock or at the last abandon", async () => {
    let now = 1_000_000;
    const told: unknown[] = [];
    const client = open({
      clock: { now: () => now },
      lockDurationMs: 1_000,
      maxDeliveryCount: 2,
      onDeadLettered: (letter) => {
        told.push(letter);
        throw new Error("a listener that fails changes nothing");
      },
    });
    await client.createSender("rows").sendMessages(["expired", "abandoned", "expired-too"].map(message));
    const receiver = client.createReceiver("rows");
    for (let delivery = 0; delivery < 2; delivery++) {
      const taken = await receiver.receiveMessages(3, { maxWaitTimeInMs: 0 });
      const abandoned = taken.find((m) => m.messageId === "abandoned");
      if (abandoned) await receiver.abandonMessage(abandoned);
      now += 2_000; // the other locks run out
    }
    expect(told).toEqual([
      {
        queue: "rows",
        messageId: "abandoned",
        reason: "MaxDeliveryCountExceeded",
        description: expect.stringContaining("2 delivery attempts"),
      },
    ]);
    const third = await receiver.receiveMessages(3, { maxWaitTimeInMs: 0 });
    expect(third).toEqual([]);
    expect(told.map((l) => (l as { messageId: string }).messageId)).toEqual(["abandoned", "expired", "expired-too"]);
    const dead = await client.peekMessages("rows", { subQueue: "deadLetter", maxMessageCount: 10 });
    expect(dead.map((m) => m.deadLetterReason)).toEqual([
      "MaxDeliveryCountExceeded",
      "MaxDeliveryCountExceeded",
      "MaxDeliveryCountExceeded",
    ]);
  });

  it.each([
    ["a NUL", "nul-a\u0000b"],
    ["a lone surrogate", "lone-\ud800"],
  ])("refuses a message id with %s (SQLite cannot keep it as it is) instead of dropping the message", async (_, id) => {
    const client = open();
    await expect(client.createSender("rows").sendMessages([message(id)])).rejects.toThrow("well-formed");
    expect(client.stats("rows")).toMatchObject({ active: 0, duplicatesDropped: 0 });
    await client.createSender("rows").sendMessages([message("emoji-\u{1F600}")]);
    expect(client.stats("rows")).toMatchObject({ active: 1, duplicatesDropped: 0 });
  });

  it("follows the injected clock for locks, schedules and duplicate history", async () => {
    let now = 0;
    const client = open({ clock: { now: () => now }, lockDurationMs: 1_000, duplicateDetectionHistoryMs: 10_000 });
    const sender = client.createSender("rows");
    const receiver = client.createReceiver("rows");
    await sender.sendMessages([{ ...message("s"), scheduledEnqueueTimeUtc: new Date(500) }]);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 })).toEqual([]);
    now = 500;
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(first?.lockedUntilUtc).toEqual(new Date(1_500));
    now = 1_500;
    expect((await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 }))[0]?.deliveryCount).toBe(2);
    await sender.sendMessages([message("s")]);
    now = 10_000;
    await sender.sendMessages([message("s")]);
    expect(client.stats("rows").duplicatesDropped).toBe(1);
  });

  it("keeps only the first of two equal ids in one batch", async () => {
    const client = open();
    await client.createSender("rows").sendMessages([message("x"), { messageId: "x", body: "second" }]);
    const got = await client.createReceiver("rows").receiveMessages(10, { maxWaitTimeInMs: 0 });
    expect(got.map((m) => m.body)).toEqual([{ id: "x" }]);
  });

  it("forgets expired ids a bounded number per send, and takes one not yet forgotten as new", async () => {
    let now = 0;
    const client = open({ clock: { now: () => now }, duplicateDetectionHistoryMs: 10_000 });
    const sender = client.createSender("rows");
    const ids = Array.from({ length: 25_000 }, (_, i) => `id-${String(i).padStart(5, "0")}`);
    await sender.sendMessages(ids.map((id) => ({ messageId: id, body: 0 })));
    now = 20_000; // every id expired; one send forgets 10,000 of them (oldest, then in id order)
    const last = ids.at(-1) as string;
    await sender.sendMessages([{ messageId: last, body: "again" }]);
    const history = (at: number) => {
      const db = openDatabase(dir.file("queue.sqlite"));
      try {
        return db.prepare("SELECT count(*) AS n FROM queue_message_ids WHERE first_seen_at <= ?").get(at) as { n: number };
      } finally {
        db.close();
      }
    };
    expect(history(0).n, "expired ids still stored after one send").toBe(25_000 - 10_000 - 1);
    const peeked = await client.peekMessages("rows", { maxMessageCount: 1, fromSequenceNumber: 25_001 });
    expect(
      peeked.map((m) => [m.messageId, m.body]),
      "an expired id not yet forgotten is new",
    ).toEqual([[last, "again"]]);
    // Renewed: within the history again, a copy is a duplicate.
    await sender.sendMessages([{ messageId: last, body: "third" }]);
    expect(client.stats("rows").duplicatesDropped).toBe(1);
  });

  it("delivers a body that is not JSON as the raw string, so it can be dead-lettered", async () => {
    open(); // creates the schema
    const db = openDatabase(dir.file("queue.sqlite"));
    db.exec(`INSERT INTO queue_messages (seq, queue, message_id, enqueued_at, available_at) VALUES (1, 'rows', 'raw', 0, 0);
             INSERT INTO queue_bodies (seq, body) VALUES (1, '{not json');`);
    db.close();
    const receiver = open().createReceiver("rows");
    const [raw] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(raw?.body).toBe("{not json");
    if (raw) await receiver.deadLetterMessage(raw, { deadLetterReason: "MalformedMessage", deadLetterErrorDescription: "" });
  });

  it("refuses a message over maxMessageBytes as a permanent error, and sends nothing", async () => {
    const client = open({ maxMessageBytes: 1_000 });
    const big = { messageId: "big", body: "x".repeat(1_000) };
    const error = await client
      .createSender("rows")
      .sendMessages([message("small"), big])
      .catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    expect(client.stats("rows").active).toBe(0);
  });

  it("refuses the whole batch when a message past the first insert statement is too big", async () => {
    // Bodies are serialised statement by statement (500 rows each), inside the send's transaction.
    const client = open({ maxMessageBytes: 1_000 });
    const batch: OutgoingMessage[] = Array.from({ length: 700 }, (_, i) => message(`m${i}`));
    batch[650] = { messageId: "big", body: "x".repeat(1_000) };
    const error = await client
      .createSender("rows")
      .sendMessages(batch)
      .catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    expect(client.stats("rows").active).toBe(0);
    // Nothing of it was remembered either: the same ids go through once the big one is fixed.
    batch[650] = message("big");
    await client.createSender("rows").sendMessages(batch);
    expect(client.stats("rows").active).toBe(700);
  });

  it("drops a too-big copy of a message already sent as a duplicate, without refusing the batch", async () => {
    const client = open({ maxMessageBytes: 1_000 });
    const sender = client.createSender("rows");
    await sender.sendMessages([message("a")]);
    await sender.sendMessages([{ messageId: "a", body: "x".repeat(1_000) }, message("b")]);
    expect(client.stats("rows").active).toBe(2);
  });

  it("peeks without locking or counting a delivery", async () => {
    const client = open();
    await client.createSender("rows").sendMessages([message("p")]);
    const peeked = await client.peekMessages("rows", { maxMessageCount: 10 });
    expect(peeked.map((m) => [m.messageId, m.lockedUntilUtc])).toEqual([["p", undefined]]);
    const [received] = await client.createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(received?.deliveryCount).toBe(1);
  });

  it("wakes a receiver of another client on the same file as soon as a message is sent", async () => {
    const pending = open({ pollIntervalMs: 10_000 }).createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 10_000 });
    const started = Date.now();
    await open()
      .createSender("rows")
      .sendMessages([message("wake")]);
    expect((await pending).map((m) => m.messageId)).toEqual(["wake"]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("ends a pending receive with [] when the client closes, and refuses work afterwards", async () => {
    const client = open();
    const pending = client.createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 10_000 });
    await client.close();
    expect(await pending).toEqual([]);
    expect(() => client.createSender("rows")).toThrow(/closed/);
  });

  it("keeps messages across close and reopen", async () => {
    const first = open();
    await first.createSender("rows").sendMessages([message("kept")]);
    await first.close();
    const [kept] = await open().createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(kept?.messageId).toBe("kept");
  });

  it("rejects a queue name that names a dead-letter subqueue, and bad options", () => {
    const client = open();
    expect(() => client.createSender("rows/$deadletterqueue")).toThrow(/subQueue/);
    expect(() => open({ lockDurationMs: 0 })).toThrow(/lockDurationMs/);
  });
});
