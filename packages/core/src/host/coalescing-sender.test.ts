import { describe, expect, it } from "vitest";
import type { OutgoingMessage, QueueSender } from "../ports/queue.ts";
import { CoalescingSender } from "./coalescing-sender.ts";

/** Records each call it gets; refuses any call holding a message whose id starts with "bad". */
class CountingSender implements QueueSender {
  readonly calls: string[][] = [];
  async sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    this.calls.push(messages.map((m) => m.messageId));
    if (messages.some((m) => m.messageId.startsWith("bad"))) throw new Error("refused");
  }
  async close(): Promise<void> {}
}

const copy = (messageId: string): OutgoingMessage => ({ messageId, body: messageId });

describe("CoalescingSender", () => {
  it("sends what is asked for in one synchronous run as one call", async () => {
    const inner = new CountingSender();
    const sender = new CoalescingSender(inner);
    await Promise.all(["a", "b", "c"].map((id) => sender.sendMessages([copy(id)])));
    expect(inner.calls).toEqual([["a", "b", "c"]]);
    await sender.sendMessages([copy("d")]);
    expect(inner.calls.at(-1)).toEqual(["d"]);
  });

  it("when the gathered call fails, tries each on its own: only the failing send's caller hears of it", async () => {
    const inner = new CountingSender();
    const sender = new CoalescingSender(inner);
    const results = await Promise.allSettled(["a", "bad", "c"].map((id) => sender.sendMessages([copy(id)])));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(inner.calls).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
  });

  it("answers every caller when the sender throws instead of rejecting", async () => {
    const throwing: QueueSender = {
      sendMessages: (messages) => {
        if (messages.some((m) => m.messageId === "bad")) throw new Error("refused at once");
        return Promise.resolve();
      },
      close: async () => {},
    };
    const sender = new CoalescingSender(throwing);
    const results = await Promise.allSettled(["a", "bad"].map((id) => sender.sendMessages([copy(id)])));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
  });
});
