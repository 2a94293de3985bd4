import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { describe, expect, it } from "vitest";
import { runCli, unreachableEnv } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

/**
 * Leaves a message on `rows` that was delivered 10 times (the default limit) and never settled,
 * as a sink killed ten times mid-upload would: the next receive moves it to the dead-letter queue
 * as MaxDeliveryCountExceeded, without any role seeing it.
 */
async function exhaustedRowMessage(dataDir: string): Promise<void> {
  const queue = new EmbeddedQueueClient({ path: join(dataDir, "queue.sqlite"), lockDurationMs: 1 });
  try {
    await queue.createSender("rows").sendMessages([{ messageId: "r-exhausted", body: { never: "settled" } }]);
    const receiver = queue.createReceiver("rows");
    for (let delivery = 0; delivery < 10; delivery++) {
      await sleep(5); // the last lock runs out
      expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 1_000 })).toHaveLength(1);
    }
    await sleep(5);
  } finally {
    await queue.close();
  }
}

describe("run's closing summary", () => {
  it("says what the dead-letter queues hold, counting what the queue moved there and earlier runs left", async () => {
    const dataDir = tempDir("xdr-run-summary-");
    await exhaustedRowMessage(dataDir);
    const args = ["run", "--role", "sink", "--until-idle", "--stats-every", "0"];

    const first = await runCli(args, unreachableEnv(dataDir));
    // No role dead-lettered it: the queue did, as the message came due. It counts all the same,
    // and a cron run that dead-lettered anything fails, so its exit code alone tells.
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/deadLettered=1\b/);
    expect(first.stderr).toContain("this run dead-lettered 1 message (exit 1): `xdr-relay dlq list` shows why");
    expect(first.stdout).toContain("dead-letter queues hold: rows 1 (see: xdr-relay dlq list)");
    // No role settled it, yet the log says so, as it does of the roles' own dead letters.
    const logged = first.stderr.split("\n").filter((line) => line.includes('"messageDeadLettered"'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] ?? "{}")).toMatchObject({
      queue: "rows",
      messageId: "r-exhausted",
      reason: "MaxDeliveryCountExceeded",
      description: "Message could not be consumed after 10 delivery attempts.",
    });

    // What an earlier run left is status --check's to report: this run added nothing, so exit 0.
    const second = await runCli(args, unreachableEnv(dataDir));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/deadLettered=0\b/);
    expect(second.stdout).toContain("dead-letter queues hold: rows 1");
  });

  it("lets an operator's shell that knows only the data directory list and drop what it points at", async () => {
    const dataDir = tempDir("xdr-run-summary-");
    await exhaustedRowMessage(dataDir);
    const run = await runCli(["run", "--role", "sink", "--until-idle", "--stats-every", "0"], unreachableEnv(dataDir));
    expect(run.code, run.stderr).toBe(1);
    // No tenants, no endpoints: the dead letters are read as they are.
    const shell = { XDR_RELAY_DATA_DIR: dataDir };

    const list = await runCli(["dlq", "list"], shell);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("MaxDeliveryCountExceeded");

    const drop = await runCli(["dlq", "drop", "--queue", "rows", "--reason", "MaxDeliveryCountExceeded"], shell);
    expect(drop.code, drop.stderr).toBe(0);
    expect(drop.stdout).toContain("rows's dead-letter queue holds 0 now");
  });

  it("says nothing of dead-letter queues that hold nothing", async () => {
    // A sink host needs no tenants: each row message names its own stream.
    const { XDR_RELAY_TENANTS: _, ...sinkHost } = unreachableEnv(tempDir("xdr-run-summary-"));
    const result = await runCli(["run", "--role", "sink", "--until-idle", "--stats-every", "0"], sinkHost);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/deadLettered=0/);
    expect(result.stdout).not.toContain("dead-letter queues");
  });

  it("runs a scheduler host against the emulators with no ingestion settings at all", async () => {
    // Auth "none" refuses any endpoint that is not loopback: the placeholder a host without a sink
    // gets must not be put to that test.
    const {
      XDR_RELAY_INGESTION_ENDPOINT: _,
      XDR_RELAY_DCR_ID: __,
      ...schedulerHost
    } = unreachableEnv(tempDir("xdr-run-summary-"));
    const result = await runCli(["run", "--role", "scheduler", "--until-idle", "--stats-every", "0"], schedulerHost);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/windows=0 rowsSent=0 rowsIngested=0 deadLettered=0/);
  });
});
