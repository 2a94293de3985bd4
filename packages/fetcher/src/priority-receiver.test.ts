import type { DeadLetterDetails, QueueReceiver, ReceivedMessage, ReceiveOptions } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { PriorityReceiver } from "./priority-receiver.ts";

function message(messageId: string): ReceivedMessage {
  return { messageId, body: {}, deliveryCount: 1, sequenceNumber: 0, enqueuedTimeUtc: new Date(0), lockedUntilUtc: undefined };
}

/** A queue of messages that records each receive's wait and each settlement, in one shared log. */
class LaneReceiver implements QueueReceiver {
  constructor(
    private readonly name: string,
    readonly waiting: ReceivedMessage[],
    private readonly log: string[],
  ) {}
  async receiveMessages(max: number, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    this.log.push(`receive:${this.name}:${options.maxWaitTimeInMs}`);
    return this.waiting.splice(0, max);
  }
  async completeMessage(m: ReceivedMessage): Promise<void> {
    this.log.push(`complete:${this.name}:${m.messageId}`);
  }
  async abandonMessage(m: ReceivedMessage): Promise<void> {
    this.log.push(`abandon:${this.name}:${m.messageId}`);
  }
  async deadLetterMessage(m: ReceivedMessage, d: DeadLetterDetails): Promise<void> {
    this.log.push(`deadLetter:${this.name}:${m.messageId}:${d.deadLetterReason}`);
  }
  async renewMessageLock(m: ReceivedMessage): Promise<Date> {
    this.log.push(`renew:${this.name}:${m.messageId}`);
    return new Date(0);
  }
  async close(): Promise<void> {
    this.log.push(`close:${this.name}`);
  }
}

function lanes(live: string[], backfill: string[]) {
  const log: string[] = [];
  const preferred = new LaneReceiver("live", live.map(message), log);
  const fallback = new LaneReceiver("backfill", backfill.map(message), log);
  return { log, preferred, receiver: new PriorityReceiver({ preferred, fallback }) };
}

const wait = { maxWaitTimeInMs: 500 };

describe("PriorityReceiver", () => {
  it("takes live windows while there are any, without looking at the backfill lane", async () => {
    const { log, receiver } = lanes(["l1", "l2"], ["b1"]);
    expect((await receiver.receiveMessages(1, wait)).map((m) => m.messageId)).toEqual(["l1"]);
    expect((await receiver.receiveMessages(1, wait)).map((m) => m.messageId)).toEqual(["l2"]);
    expect(log).toEqual(["receive:live:0", "receive:live:0"]);
  });

  it("takes backfill work only when the live lane is empty, and does not wait on the empty live lane first", async () => {
    const { log, receiver } = lanes([], ["b1"]);
    expect((await receiver.receiveMessages(1, wait)).map((m) => m.messageId)).toEqual(["b1"]);
    expect(log).toEqual(["receive:live:0", "receive:backfill:0"]);
  });

  it("goes back to the live lane at the next receive once a live window arrived", async () => {
    const { preferred, receiver } = lanes([], ["b1", "b2"]);
    await receiver.receiveMessages(1, wait);
    preferred.waiting.push(message("l1"));
    expect((await receiver.receiveMessages(1, wait)).map((m) => m.messageId)).toEqual(["l1"]);
    expect((await receiver.receiveMessages(1, wait)).map((m) => m.messageId)).toEqual(["b2"]);
  });

  it("with both lanes empty, waits the whole wait on the live lane (a live window arriving is taken at once)", async () => {
    const { log, receiver } = lanes([], []);
    expect(await receiver.receiveMessages(1, wait)).toEqual([]);
    expect(log).toEqual(["receive:live:0", "receive:backfill:0", "receive:live:500"]);
  });

  it("settles, renews and dead-letters each message through the lane it came from", async () => {
    const { log, receiver } = lanes(["l1"], ["b1", "b2", "b3"]);
    const [l1] = await receiver.receiveMessages(1, wait);
    const [b1] = await receiver.receiveMessages(1, wait);
    const [b2] = await receiver.receiveMessages(1, wait);
    const [b3] = await receiver.receiveMessages(1, wait);
    log.length = 0;
    await receiver.renewMessageLock(b1 as ReceivedMessage);
    await receiver.completeMessage(l1 as ReceivedMessage);
    await receiver.completeMessage(b1 as ReceivedMessage);
    await receiver.abandonMessage(b2 as ReceivedMessage);
    await receiver.deadLetterMessage(b3 as ReceivedMessage, { deadLetterReason: "FetchFailed", deadLetterErrorDescription: "x" });
    expect(log).toEqual([
      "renew:backfill:b1",
      "complete:live:l1",
      "complete:backfill:b1",
      "abandon:backfill:b2",
      "deadLetter:backfill:b3:FetchFailed",
    ]);
  });

  it("names the queue each message came from, for the log", async () => {
    const log: string[] = [];
    const preferred = new LaneReceiver("live", [message("l1")], log);
    const fallback = new LaneReceiver("backfill", [message("b1")], log);
    const receiver = new PriorityReceiver({ preferred, fallback, names: { preferred: "windows", fallback: "windows-backfill" } });
    const [l1] = await receiver.receiveMessages(1, wait);
    const [b1] = await receiver.receiveMessages(1, wait);
    expect(receiver.queueNameOf(l1 as ReceivedMessage)).toBe("windows");
    expect(receiver.queueNameOf(b1 as ReceivedMessage)).toBe("windows-backfill");
    expect(receiver.queueNameOf(message("elsewhere"))).toBeUndefined();
  });

  it("refuses to settle a message it did not receive, rather than guess its lane", async () => {
    const { receiver } = lanes([], []);
    await expect(receiver.completeMessage(message("stranger"))).rejects.toThrow(/not received through this receiver/);
  });

  it("closes both lanes", async () => {
    const { log, receiver } = lanes([], []);
    await receiver.close();
    expect(log.sort()).toEqual(["close:backfill", "close:live"]);
  });
});
