import type { OutgoingMessage, QueueClient, QueueReceiver, ReceivedMessage } from "@xdr-relay/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMessageLockLostError } from "../src/errors.ts";
import { replayDeadLetters } from "../src/replay.ts";

/** The queue settings every adapter is created with: short, so the suite runs in seconds. */
export interface ConformanceSettings {
  readonly lockDurationMs: number;
  readonly maxDeliveryCount: number;
  readonly duplicateDetectionHistoryMs: number;
}

export interface QueueUnderTest {
  readonly client: QueueClient;
  dispose(): Promise<void>;
}

export type QueueFactory = (settings: ConformanceSettings) => Promise<QueueUnderTest>;

export const conformanceSettings: ConformanceSettings = {
  lockDurationMs: 300,
  maxDeliveryCount: 3,
  duplicateDetectionHistoryMs: 600,
};

/** Real time throughout, so an adapter over the network (Service Bus, its emulator) runs it too. */
const quietMs = 150; // how long "nothing arrives" is watched
const patientMs = 5_000; // how long an expected message may take
const { lockDurationMs, maxDeliveryCount, duplicateDetectionHistoryMs } = conformanceSettings;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (messageId: string, body: unknown = { id: messageId }): OutgoingMessage => ({ messageId, body });

/**
 * Receives until `count` messages arrived or a receive came back empty. After the first message
 * it waits only briefly for more: the whole call must end well within one lock duration, or
 * the messages it already holds would come back a second time.
 */
async function receiveUpTo(receiver: QueueReceiver, count: number): Promise<ReceivedMessage[]> {
  const got: ReceivedMessage[] = [];
  while (got.length < count) {
    const batch = await receiver.receiveMessages(count - got.length, { maxWaitTimeInMs: got.length === 0 ? patientMs : 50 });
    if (batch.length === 0) break;
    got.push(...batch);
  }
  return got;
}

async function receiveOne(receiver: QueueReceiver): Promise<ReceivedMessage> {
  const [first, ...rest] = await receiver.receiveMessages(1, { maxWaitTimeInMs: patientMs });
  expect(rest).toEqual([]);
  if (first === undefined) throw new Error("expected a message, the queue stayed empty");
  return first;
}

async function expectNothing(receiver: QueueReceiver, waitMs = quietMs): Promise<void> {
  expect(await receiver.receiveMessages(10, { maxWaitTimeInMs: waitMs })).toEqual([]);
}

async function expectLockLost(settle: Promise<unknown>): Promise<void> {
  const error = await settle.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isMessageLockLostError(error), `expected a MessageLockLost error, got ${String(error)}`).toBe(true);
}

/**
 * The queue port's contract, with Service Bus semantics. Every adapter must pass it unchanged.
 * Each test gets a fresh adapter and its own queue name.
 */
export function describeQueueConformance(name: string, factory: QueueFactory): void {
  describe(`queue conformance: ${name}`, () => {
    let underTest: QueueUnderTest;
    let queue: string;
    let testNumber = 0;
    const client = () => underTest.client;
    const send = (...messages: OutgoingMessage[]) => client().createSender(queue).sendMessages(messages);
    const receiver = () => client().createReceiver(queue);
    const deadLetters = () => client().createReceiver(queue, { subQueue: "deadLetter" });

    beforeEach(async () => {
      underTest = await factory(conformanceSettings);
      queue = `conformance-${process.pid}-${++testNumber}`;
    });
    afterEach(async () => {
      await underTest.dispose();
    });

    it("delivers a message with its body, deliveryCount 1 and a lock; complete removes it", async () => {
      const body = { text: "héllo ✓", nested: { list: [1, 2.5, null, true] } };
      await send(message("m1", body));
      const r = receiver();
      const before = Date.now();
      const m = await receiveOne(r);
      expect(m.messageId).toBe("m1");
      expect(m.body).toEqual(body);
      expect(m.deliveryCount).toBe(1);
      expect(m.enqueuedTimeUtc).toBeInstanceOf(Date);
      expect(m.lockedUntilUtc?.getTime()).toBeGreaterThan(before);
      expect(m.lockedUntilUtc?.getTime()).toBeLessThanOrEqual(Date.now() + lockDurationMs + 1_000);
      await r.completeMessage(m);
      await sleep(lockDurationMs + 100);
      await expectNothing(r);
    });

    it("keeps FIFO order for a single receiver across batches", async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `fifo-${i}`);
      await send(...ids.slice(0, 20).map((id) => message(id)));
      await send(...ids.slice(20).map((id) => message(id)));
      const got = await receiveUpTo(receiver(), 40);
      expect(got.map((m) => m.messageId)).toEqual(ids);
      const sequence = got.map((m) => m.sequenceNumber);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    });

    it("sends a batch all or none", async () => {
      const invalid = message("x".repeat(129)); // Service Bus caps messageId at 128 characters
      await expect(send(message("ok-1"), invalid, message("ok-2"))).rejects.toThrow();
      const r = receiver();
      await expectNothing(r);
      await send(message("ok-1"), message("ok-2"));
      expect((await receiveUpTo(r, 2)).map((m) => m.messageId)).toEqual(["ok-1", "ok-2"]);
    });

    it("returns as soon as a message arrives, and [] once the wait is over", async () => {
      const r = receiver();
      let started = Date.now();
      const empty = await r.receiveMessages(5, { maxWaitTimeInMs: 250 });
      expect(empty).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);

      started = Date.now();
      const pending = r.receiveMessages(5, { maxWaitTimeInMs: 20_000 });
      await sleep(100);
      await send(message("late"));
      const got = await pending;
      expect(got.map((m) => m.messageId)).toEqual(["late"]);
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it("drops a duplicate messageId silently inside the history window, accepts it after", async () => {
      const r = receiver();
      await send(message("dup", { v: 1 }));
      await send(message("dup", { v: 2 })); // succeeds, but is dropped
      const first = await receiveOne(r);
      expect(first.body).toEqual({ v: 1 });
      await r.completeMessage(first);
      await send(message("dup", { v: 3 })); // completed, but still within the history
      await expectNothing(r);

      await sleep(duplicateDetectionHistoryMs + 300);
      await send(message("dup", { v: 4 }));
      expect((await receiveOne(r)).body).toEqual({ v: 4 });
    });

    it("does not deliver a scheduled message before its time", async () => {
      const due = Date.now() + 700;
      await send({ ...message("later"), scheduledEnqueueTimeUtc: new Date(due) }, message("now"));
      const r = receiver();
      const now = await receiveOne(r);
      expect(now.messageId).toBe("now");
      await r.completeMessage(now);
      await expectNothing(r, 200);
      const later = await receiveOne(r);
      expect(later.messageId).toBe("later");
      expect(Date.now()).toBeGreaterThanOrEqual(due - 50); // allow clock granularity, not early delivery
      expect(later.deliveryCount).toBe(1);
    });

    it("redelivers a message whose lock expired, counting the delivery", async () => {
      await send(message("slow"));
      const r = receiver();
      const first = await receiveOne(r);
      const lockedAt = Date.now();
      await expectNothing(r, 100); // still locked
      const again = await receiveOne(r);
      expect(again.messageId).toBe("slow");
      expect(again.deliveryCount).toBe(2);
      expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(lockDurationMs - 100);
      expect(first.body).toEqual(again.body);
    });

    it("abandon makes the message receivable at once and counts a delivery", async () => {
      await send(message("again"));
      const r = receiver();
      await r.abandonMessage(await receiveOne(r));
      const started = Date.now();
      const second = await receiveOne(r);
      expect(second.deliveryCount).toBe(2);
      expect(Date.now() - started).toBeLessThan(lockDurationMs);
    });

    it(`dead-letters as MaxDeliveryCountExceeded on the abandon that reaches maxDeliveryCount`, async () => {
      const body = { row: "poison" };
      await send(message("poison", body));
      const r = receiver();
      for (let delivery = 1; delivery <= maxDeliveryCount; delivery++) {
        const m = await receiveOne(r);
        expect(m.deliveryCount).toBe(delivery);
        await r.abandonMessage(m);
      }
      await expectNothing(r);
      const dead = await receiveOne(deadLetters());
      expect(dead.messageId).toBe("poison");
      expect(dead.body).toEqual(body);
      expect(dead.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    });

    it("dead-letters as MaxDeliveryCountExceeded when locks keep expiring", async () => {
      await send(message("stuck"));
      const r = receiver();
      for (let delivery = 1; delivery <= maxDeliveryCount; delivery++) {
        expect((await receiveOne(r)).deliveryCount).toBe(delivery);
      }
      await expectNothing(r, lockDurationMs + 200);
      const dead = await receiveOne(deadLetters());
      expect(dead.messageId).toBe("stuck");
      expect(dead.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    });

    it("dead-letters explicitly with reason and description, body and id intact", async () => {
      const body = { tenant: "t1", row: { AlertId: "da1", Title: "Ünïcode ✓" } };
      await send(message("bad-row", body));
      const r = receiver();
      await r.deadLetterMessage(await receiveOne(r), {
        deadLetterReason: "IngestionRejected",
        deadLetterErrorDescription: "HTTP 400: column AlertTitle has the wrong type",
      });
      await expectNothing(r);
      const dead = await receiveOne(deadLetters());
      expect(dead.messageId).toBe("bad-row");
      expect(dead.body).toEqual(body);
      expect(dead.deadLetterReason).toBe("IngestionRejected");
      expect(dead.deadLetterErrorDescription).toBe("HTTP 400: column AlertTitle has the wrong type");
    });

    it("keeps dead letters: no delivery limit and no expiry in the dead-letter queue", async () => {
      await send(message("kept"));
      const r = receiver();
      await r.deadLetterMessage(await receiveOne(r), { deadLetterReason: "BadQuery", deadLetterErrorDescription: "x" });
      const dlq = deadLetters();
      for (let i = 0; i < maxDeliveryCount + 2; i++) await dlq.abandonMessage(await receiveOne(dlq));
      await sleep(lockDurationMs + 100);
      const still = await receiveOne(dlq);
      expect(still.messageId).toBe("kept");
      expect(still.deadLetterReason).toBe("BadQuery");
      await dlq.completeMessage(still);
      await expectNothing(dlq);
    });

    it("renewMessageLock extends the lock so the holder can still settle", async () => {
      await send(message("long"));
      const r = receiver();
      const m = await receiveOne(r);
      const firstExpiry = m.lockedUntilUtc?.getTime() ?? 0;
      await sleep(lockDurationMs * 0.6);
      const renewed = await r.renewMessageLock(m);
      expect(renewed.getTime()).toBeGreaterThan(firstExpiry);
      await sleep(lockDurationMs * 0.6); // past the first expiry, within the renewed one
      await expectNothing(receiver(), 20);
      await r.completeMessage(m);
      await sleep(lockDurationMs);
      await expectNothing(r);
    });

    it("throws MessageLockLost when settling after the lock expired, and the message survives", async () => {
      await send(message("late-settle"));
      const slow = receiver();
      const stale = await receiveOne(slow);
      await sleep(lockDurationMs + 150);
      await expectLockLost(slow.completeMessage(stale));
      await expectLockLost(slow.renewMessageLock(stale));

      const fast = receiver();
      const fresh = await receiveOne(fast);
      expect(fresh.deliveryCount).toBe(2);
      // The stale holder cannot take the message from its new holder.
      await expectLockLost(slow.completeMessage(stale));
      await expectLockLost(slow.abandonMessage(stale));
      await expectLockLost(slow.deadLetterMessage(stale, { deadLetterReason: "BadQuery", deadLetterErrorDescription: "x" }));
      await fast.completeMessage(fresh);
      await expectNothing(deadLetters());
    });

    it("two concurrent receivers never share a message", async () => {
      const ids = Array.from({ length: 200 }, (_, i) => `c-${i}`);
      for (let i = 0; i < ids.length; i += 50) await send(...ids.slice(i, i + 50).map((id) => message(id)));
      const drain = async (r: QueueReceiver) => {
        const got: string[] = [];
        for (;;) {
          const batch = await r.receiveMessages(7, { maxWaitTimeInMs: 300 });
          if (batch.length === 0) return got;
          for (const m of batch) {
            got.push(m.messageId);
            await r.completeMessage(m);
          }
        }
      };
      const [a, b] = await Promise.all([drain(receiver()), drain(receiver())]);
      const all = [...a, ...b];
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual([...ids].sort());
    });

    it("a message locked by one receiver is not handed to another", async () => {
      await send(...["h-1", "h-2", "h-3", "h-4"].map((id) => message(id)));
      const held = await receiveUpTo(receiver(), 2);
      const other = receiver();
      const rest = await receiveUpTo(other, 2);
      await expectNothing(other, 50); // h-1 and h-2 are still locked
      expect(held.map((m) => m.messageId)).toEqual(["h-1", "h-2"]);
      expect(rest.map((m) => m.messageId)).toEqual(["h-3", "h-4"]);
    });

    it("replays dead letters under new ids, leaving the ones the filter refuses", async () => {
      const bodies = { "r-1": { row: 1 }, "r-2": { row: 2 }, "r-3": { row: 3 } };
      await send(...Object.entries(bodies).map(([id, body]) => message(id, body)));
      const r = receiver();
      for (const m of await receiveUpTo(r, 3)) {
        const reason = m.messageId === "r-3" ? "BadQuery" : "IngestionFailed";
        await r.deadLetterMessage(m, { deadLetterReason: reason, deadLetterErrorDescription: "503" });
      }
      // The original ids are still in the duplicate history: only new ids get through.
      const result = await replayDeadLetters(client(), queue, {
        filter: (m) => m.deadLetterReason === "IngestionFailed",
        maxWaitTimeInMs: 500,
      });
      expect(result).toEqual({ replayed: 2, skipped: 1, lockLost: 0, later: 0 });
      const replayed = await receiveUpTo(r, 2);
      expect(replayed.map((m) => m.body)).toEqual([bodies["r-1"], bodies["r-2"]]);
      const newIds = replayed.map((m) => m.messageId);
      expect(new Set(newIds).size).toBe(2);
      for (const id of newIds) expect(Object.keys(bodies)).not.toContain(id);
      expect(replayed.every((m) => m.deliveryCount === 1)).toBe(true);

      const dlq = deadLetters();
      const left = await receiveOne(dlq);
      expect([left.messageId, left.deadLetterReason]).toEqual(["r-3", "BadQuery"]);
      await expectNothing(dlq, 50);
    });

    it("replays at most `max` dead letters", async () => {
      await send(message("x-1"), message("x-2"), message("x-3"));
      const r = receiver();
      for (const m of await receiveUpTo(r, 3)) {
        await r.deadLetterMessage(m, { deadLetterReason: "FetchFailed", deadLetterErrorDescription: "" });
      }
      expect(await replayDeadLetters(client(), queue, { max: 2, maxWaitTimeInMs: 500 })).toEqual({
        replayed: 2,
        skipped: 0,
        lockLost: 0,
        later: 0,
      });
      expect((await receiveUpTo(r, 2)).map((m) => m.body)).toEqual([{ id: "x-1" }, { id: "x-2" }]);
      await expectNothing(r, 50);
      const dlq = deadLetters();
      expect((await receiveOne(dlq)).messageId).toBe("x-3");
      await expectNothing(dlq, 50);
    });
  });
}
