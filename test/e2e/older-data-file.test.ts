import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../packages/queue/src/embedded/database.ts";
import { SqliteCheckpointStore } from "../../packages/queue/src/index.ts";
import { versionOf, writeLayout1File } from "../../packages/queue/test/fixtures/layout1-file.ts";
import { startBackfillWorld, writeScheduleConfig } from "./backfill-world.ts";
import { runCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const hourMs = 3_600_000;
const tempDir = tempDirs();

describe("a data directory an older release wrote", () => {
  it("is left alone by the commands that change nothing, and converted by run, its messages kept", async () => {
    const dir = tempDir("xdr-older-");
    await using world = await startBackfillWorld({ dir, seed: 7, hours: 2, alertsPerHour: 5 });
    const startAt = new Date(Math.floor((world.now - hourMs) / 300_000) * 300_000).toISOString();
    const configFile = writeScheduleConfig(dir, startAt);
    const dataDir = world.env.XDR_RELAY_DATA_DIR;
    mkdirSync(dataDir, { recursive: true });
    const queueFile = join(dataDir, "queue.sqlite");
    writeLayout1File(queueFile, {
      lastSeq: 40,
      messages: [
        {
          seq: 40,
          queue: "rows/$deadletterqueue",
          messageId: "r-older",
          body: '{"kind":"row"}',
          availableAt: 0,
          deliveryCount: 10,
          deadLetter: { reason: "IngestionFailed", description: "503 after 10 attempts" },
        },
      ],
      history: [["r-older", world.now - 60_000]],
    });

    // The checkpoint table did not change between the layouts: the file needs only its stamp.
    const checkpointFile = join(dataDir, "checkpoints.sqlite");
    await new SqliteCheckpointStore({ path: checkpointFile }).close();
    const stamp = openDatabase(checkpointFile);
    stamp.pragma("user_version = 1");
    stamp.close();

    for (const [command, args] of [
      ["`status`", ["status"]],
      ["`dlq list`", ["dlq", "list"]],
      ["`backfill status`", ["backfill", "status"]],
    ] as const) {
      const refused = await runCli([...args, "--config", configFile], world.env);
      expect(refused.code, refused.stdout + refused.stderr).toBe(3);
      expect(refused.stderr).toContain(`written by an older xdr-relay (data file version 1) and ${command} does not convert it`);
      expect(refused.stderr).toContain("start `xdr-relay run`, which converts the file");
    }
    expect(versionOf(queueFile), "left as the older release wrote it").toBe(1);
    const to = new Date(Date.parse(startAt) + 300_000).toISOString();
    const dryRun = await runCli(["backfill", "--from", startAt, "--to", to, "--dry-run", "--config", configFile], world.env);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(versionOf(checkpointFile), "not stamped, so the older release still opens it").toBe(1);

    const run = await runCli(["run", "--until-idle", "--stats-every", "0", "--config", configFile], world.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("converting its 1 message and 1 remembered id to data file layout 2");
    expect([versionOf(queueFile), versionOf(checkpointFile)]).toEqual([2, 2]);

    const list = await runCli(["dlq", "list", "--queue", "rows", "--config", configFile], world.env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/rows: 1 dead-lettered/);
    expect(list.stdout).toContain("IngestionFailed");
  });
});
