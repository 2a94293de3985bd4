import { huntingRetentionMs, newWindow, windowMessageId } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { dlqDropCommand } from "../../packages/cli/src/commands/dlq-drop.ts";
import { runRoles } from "../../packages/cli/src/roles/run-roles.ts";
import { emulatedRelay } from "./relay-fixture.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

describe("a window older than Defender keeps", () => {
  it("is dead-lettered WindowExpired by the fetcher role without a call, while a recent one is fetched", async () => {
    const dir = tempDir("xdr-expired-");
    await using relay = await emulatedRelay(dir);
    const { hunting, pipeline } = relay;
    const fiveMinutes = 300_000;
    const gridNow = Math.floor(pipeline.clock.now() / fiveMinutes) * fiveMinutes;
    const window = (startMs: number) =>
      newWindow({
        tenant: "contoso",
        query: "alert-info",
        range: { startMs, endMs: startMs + fiveMinutes },
        origin: "schedule",
      });
    const expired = window(gridNow - huntingRetentionMs - 2 * fiveMinutes);
    const recent = window(gridNow - 2 * fiveMinutes);
    await pipeline.queue.client
      .createSender("windows")
      .sendMessages([expired, recent].map((w) => ({ messageId: windowMessageId(w), body: w })));
    await runRoles(pipeline, {
      roles: ["fetcher"],
      untilIdle: true,
      fetchConcurrency: 1,
      signal: new AbortController().signal,
    });

    const deadLetters = pipeline.queue.client.createReceiver("windows", { subQueue: "deadLetter" });
    const dead = await deadLetters.receiveMessages(10, { maxWaitTimeInMs: 200 });
    expect(dead.map((m) => [m.body, m.deadLetterReason])).toEqual([[expired, "WindowExpired"]]);
    expect(dead[0]?.deadLetterErrorDescription).toMatch(/older than Defender keeps/);
    expect(hunting.stats.calls).toBe(1);
    for (const m of dead) await deadLetters.abandonMessage(m);

    // A replay would only dead-letter it again: `dlq drop` removes it, and only dead letters of its reason.
    await pipeline.queue.client.createSender("windows").sendMessages([{ messageId: "garbage", body: "not a window" }]);
    await runRoles(pipeline, { roles: ["fetcher"], untilIdle: true, fetchConcurrency: 1, signal: new AbortController().signal });
    expect(await dlqDropCommand(pipeline.config, { queue: "windows", reason: "WindowExpired", max: undefined })).toBe(0);
    const left = await deadLetters.receiveMessages(10, { maxWaitTimeInMs: 200 });
    expect(left.map((m) => m.deadLetterReason)).toEqual(["MalformedMessage"]);
  });
});
