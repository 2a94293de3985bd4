import type { OutgoingMessage } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { sendRows } from "./send-rows.ts";

const message = { tenant: "contoso", query: "alert-info", stream: "Custom-XdrAlertInfo", window: "w" };

describe("sendRows", () => {
  it("lets timers run between batches (a lock renewal) when the queue's sends never wait", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ Timestamp: "2026-11-26T10:00:00Z", AlertId: `a${i}` }));
    let timerRan = false;
    const seenByBatch: boolean[] = [];
    const sent: OutgoingMessage[] = [];
    setTimeout(() => {
      timerRan = true;
    }, 1);
    const rowsQueue = {
      sendMessages: async (messages: readonly OutgoingMessage[]) => {
        seenByBatch.push(timerRan);
        sent.push(...messages);
        const until = performance.now() + 3; // a synchronous store, as the embedded queue's
        while (performance.now() < until);
      },
      close: async () => undefined,
    };
    const result = await sendRows({ rows: rowsQueue, sendBatchSize: 10 }, message, rows);
    expect(result).toEqual({ sent: 50, tooLarge: 0 });
    expect(sent.map((m) => (m.body as { row: { AlertId: string } }).row.AlertId)).toEqual(rows.map((r) => r.AlertId));
    expect(seenByBatch[0]).toBe(false);
    expect(seenByBatch.at(-1)).toBe(true);
  });
});
