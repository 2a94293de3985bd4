import { newWindow, type OutgoingMessage, type QueueSender, windowMessageId } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { laneSender } from "./lane-sender.ts";

class Recording implements QueueSender {
  readonly sent: OutgoingMessage[][] = [];
  async sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    this.sent.push([...messages]);
  }
  async close(): Promise<void> {}
}

const range = { startMs: Date.parse("2026-11-26T10:00:00.000Z"), endMs: Date.parse("2026-11-26T10:05:00.000Z") };
const window = (origin: "schedule" | "resweep" | "backfill" | "split" | "replay", depth = 0) => {
  const body = newWindow({ tenant: "contoso", query: "alert-info", range, origin, depth });
  return { messageId: `${windowMessageId(body)}-${origin}-${depth}`, body };
};

describe("laneSender", () => {
  it("sends backfill windows (halves and retry copies included) to the backfill lane, everything else to the live lane", async () => {
    const live = new Recording();
    const backfill = new Recording();
    const sender = laneSender({ live, backfill });
    const messages = [
      window("schedule"),
      window("backfill"),
      window("resweep"),
      window("backfill", 1),
      window("split", 1),
      window("replay"),
      { messageId: "garbage", body: "not a window" },
    ];
    await sender.sendMessages(messages);
    expect(backfill.sent.flat().map((m) => m.messageId)).toEqual([messages[1]?.messageId, messages[3]?.messageId]);
    expect(live.sent.flat().map((m) => m.messageId)).toEqual([0, 2, 4, 5, 6].map((i) => messages[i]?.messageId));
    expect([live.sent.length, backfill.sent.length], "one send per lane").toEqual([1, 1]);
  });

  it("keeps a retry copy's schedule", async () => {
    const live = new Recording();
    const backfill = new Recording();
    const due = new Date(Date.parse("2026-11-26T11:00:00.000Z"));
    await laneSender({ live, backfill }).sendMessages([{ ...window("backfill"), scheduledEnqueueTimeUtc: due }]);
    expect(backfill.sent[0]?.[0]?.scheduledEnqueueTimeUtc).toEqual(due);
    expect(live.sent).toEqual([]);
  });
});
