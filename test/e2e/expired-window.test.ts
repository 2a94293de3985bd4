import { huntingRetentionMs, newWindow, windowMessageId } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
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

    const dead = await pipeline.queue.client
      .createReceiver("windows", { subQueue: "deadLetter" })
      .receiveMessages(10, { maxWaitTimeInMs: 200 });
    expect(dead.map((m) => [m.body, m.deadLetterReason])).toEqual([[expired, "WindowExpired"]]);
    expect(dead[0]?.deadLetterErrorDescription).toMatch(/older than Defender keeps/);
    expect(hunting.stats.calls).toBe(1);
  });
});
