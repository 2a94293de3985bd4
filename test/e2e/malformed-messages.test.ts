import { describe, expect, it } from "vitest";
import { runRoles } from "../../packages/cli/src/roles/run-roles.ts";
import { emulatedRelay } from "./relay-fixture.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

describe("malformed messages", () => {
  it("are dead-lettered as MalformedMessage once each, and the workers carry on", async () => {
    const dir = tempDir("xdr-malformed-");
    await using relay = await emulatedRelay(dir);
    const { hunting, ingestion, pipeline } = relay;
    const garbage = ["not json at all", { version: 2, tenant: "t" }, { hello: "world" }, 42, null];
    await pipeline.queue.client.createSender("windows").sendMessages(garbage.map((body, i) => ({ messageId: `w${i}`, body })));
    await pipeline.queue.client.createSender("rows").sendMessages(garbage.map((body, i) => ({ messageId: `r${i}`, body })));
    await runRoles(pipeline, {
      roles: ["fetcher", "sink"],
      untilIdle: true,
      fetchConcurrency: 2,
      signal: new AbortController().signal,
    });

    for (const queue of ["windows", "rows"]) {
      const deadLetters = pipeline.queue.client.createReceiver(queue, { subQueue: "deadLetter" });
      const dead = await deadLetters.receiveMessages(100, { maxWaitTimeInMs: 200 });
      expect(dead.map((m) => m.messageId).sort(), queue).toEqual(garbage.map((_, i) => `${queue[0]}${i}`).sort());
      for (const m of dead) {
        expect(m.deadLetterReason).toBe("MalformedMessage");
        // One delivery on the queue (dead-lettered on first sight, not retried to the limit), plus this one from the DLQ.
        expect(m.deliveryCount, `${queue} ${m.messageId}`).toBe(2);
        const kind = queue === "windows" ? "QueryWindow" : "RowMessage";
        const description = String(m.deadLetterErrorDescription);
        // One line each, so `dlq list` shows it; a newer release's message says so rather than list its fields.
        expect(description).not.toContain("\n");
        expect(description).toMatch(m.messageId.endsWith("1") ? `a ${kind} of version 2` : `not a ${kind}: `);
      }
    }
    expect(hunting.stats.calls).toBe(0);
    expect(ingestion.stats.calls).toBe(0);
  });
});
