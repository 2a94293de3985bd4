import type { QueueClient } from "@xdr-relay/core";
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
