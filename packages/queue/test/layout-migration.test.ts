import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/embedded/database.ts";
import { dataFileVersion } from "../src/embedded/file-version.ts";
import { EmbeddedQueueClient, SqliteCheckpointStore } from "../src/index.ts";
import { versionOf, writeLayout1File } from "./fixtures/layout1-file.ts";
import { useTempDir } from "./temp-dir.ts";

/**
 * A file the first layout wrote is migrated when a newer release opens it, whichever opens it
 * first (queue or checkpoint store), with every message in whatever state it was, and every
 * remembered id.
 */
describe("data file layout 1 → 2", () => {
  const dir = useTempDir();
  const now = 1_000_000;
  const historyMs = 10_000;
  const writeOldFile = (path: string) =>
    writeLayout1File(path, {
      lastSeq: 9, // messages 7 to 9 were completed: their numbers are never given again
      messages: [
        { seq: 2, queue: "rows", messageId: "due", body: '{"n":2}', availableAt: 0 },
        { seq: 3, queue: "rows", messageId: "scheduled", body: '{"n":3}', availableAt: now + 60_000 },
        {
          seq: 4,
          queue: "rows",
          messageId: "locked",
          body: '{"n":4}',
          availableAt: now + 30_000,
          deliveryCount: 1,
          lockToken: "t.4",
        },
        {
          seq: 5,
          queue: "rows/$deadletterqueue",
          messageId: "dead",
          body: '{"n":5}',
          availableAt: 0,
          deliveryCount: 2,
          deadLetter: { reason: "RowTooLarge", description: "row of 300000 bytes" },
        },
        { seq: 6, queue: "windows", messageId: "window", body: '{"n":6}', availableAt: 0 },
      ],
      // Stored in id order; first seen in another.
      history: [
        ["due", now - 1_000],
        ["expired-newer", now - 12_000],
        ["expired-older", now - 15_000],
        ["scheduled", now - 1_000],
      ],
    });
  const open = (path: string) =>
    dir.track(new EmbeddedQueueClient({ path, clock: { now: () => now }, duplicateDetectionHistoryMs: historyMs }));

  it("keeps every message, its state and its body, and goes on numbering after the last one given", async () => {
    const path = dir.file("queue.sqlite");
    writeOldFile(path);
    const client = open(path);
    expect(versionOf(path)).toBe(dataFileVersion);

    const peeked = await client.peekMessages("rows", { maxMessageCount: 10, fromSequenceNumber: 0 });
    expect(peeked.map((m) => [m.sequenceNumber, m.messageId, m.body])).toEqual([
      [2, "due", { n: 2 }],
      [3, "scheduled", { n: 3 }],
      [4, "locked", { n: 4 }],
    ]);
    const [dead] = await client.peekMessages("rows", { subQueue: "deadLetter", maxMessageCount: 10 });
    expect(dead).toMatchObject({
      messageId: "dead",
      body: { n: 5 },
      deliveryCount: 2,
      deadLetterReason: "RowTooLarge",
      deadLetterErrorDescription: "row of 300000 bytes",
    });

    // Only the due one is receivable: the scheduled one is not due and the lock still holds.
    const received = await client.createReceiver("rows").receiveMessages(10, { maxWaitTimeInMs: 0 });
    expect(received.map((m) => [m.messageId, m.body, m.deliveryCount])).toEqual([["due", { n: 2 }, 1]]);
    const [window] = await client.createReceiver("windows").receiveMessages(10, { maxWaitTimeInMs: 0 });
    expect(window?.body).toEqual({ n: 6 });
    const receiver = client.createReceiver("rows");
    if (received[0]) await receiver.completeMessage(received[0]);

    await client.createSender("rows").sendMessages([{ messageId: "new", body: { n: 10 } }]);
    const [sent] = await client.peekMessages("rows", { maxMessageCount: 1, fromSequenceNumber: 5 });
    expect(sent).toMatchObject({ messageId: "new", sequenceNumber: 10 });
    expect(client.stats("rows")).toMatchObject({ active: 1, scheduled: 1, locked: 1, deadLettered: 1 });
  });

  it("keeps the duplicate history, oldest first", async () => {
    const path = dir.file("queue.sqlite");
    writeOldFile(path);
    const client = open(path);
    const sender = client.createSender("rows");
    await sender.sendMessages([
      { messageId: "due", body: "again" },
      { messageId: "scheduled", body: "again" },
    ]);
    expect(client.stats("rows").duplicatesDropped, "ids remembered within the history").toBe(2);

    const db = openDatabase(path);
    try {
      const order = db.prepare("SELECT message_id FROM queue_message_ids ORDER BY id").raw(true).all() as [string][];
      // The send forgot the two expired ids; what is left is in first-seen order.
      expect(order.flat()).toEqual(["due", "scheduled"]);
    } finally {
      db.close();
    }
    await sender.sendMessages([{ messageId: "expired-older", body: "new again" }]);
    expect(client.stats("rows").duplicatesDropped, "an expired id is new").toBe(2);
  });

  it("says what it converts before it starts, and only when there is something to convert", async () => {
    const path = dir.file("queue.sqlite");
    writeOldFile(path);
    const said: string[] = [];
    const olderLayout = { announce: (what: string) => said.push(what) };
    await new EmbeddedQueueClient({ path, olderLayout }).close();
    expect(said).toEqual([
      expect.stringMatching(
        /queue\.sqlite: converting its 5 messages and 4 remembered ids to data file layout 2 .*stays as it was/,
      ),
    ]);
    await new EmbeddedQueueClient({ path, olderLayout }).close();
    await new EmbeddedQueueClient({ path: dir.file("new.sqlite"), olderLayout }).close();
    expect(said, "nothing said for a converted or a new file").toHaveLength(1);
  });

  it("is refused, unchanged, by a command that changes nothing", async () => {
    const path = dir.file("queue.sqlite");
    writeOldFile(path);
    const readOnly = () => new EmbeddedQueueClient({ path, olderLayout: { refuseBy: "`status`" } });
    expect(readOnly).toThrow(/older xdr-relay \(data file version 1\) and `status` does not convert it.*xdr-relay run/);
    expect(versionOf(path)).toBe(1);
    const client = open(path); // converts
    expect(await client.peekMessages("rows", { maxMessageCount: 1 })).toHaveLength(1);
    await client.close();
    await readOnly().close(); // a converted file is read as any other
  });

  it("is migrated by the checkpoint store too, when it opens the file first", async () => {
    const path = dir.file("relay.sqlite");
    writeOldFile(path);
    await new SqliteCheckpointStore({ path }).close();
    expect(versionOf(path)).toBe(dataFileVersion);
    const db = openDatabase(path);
    try {
      // Stamped layout 2, the file has all of it, the history's unique index (duplicate detection) included.
      const indexes = db.prepare("PRAGMA index_list(queue_message_ids)").all() as { name: string; unique: number }[];
      expect(indexes).toContainEqual(expect.objectContaining({ name: "queue_message_ids_by_message", unique: 1 }));
    } finally {
      db.close();
    }
    const client = open(path);
    const [due] = await client.createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(due?.body).toEqual({ n: 2 });
  });
});
