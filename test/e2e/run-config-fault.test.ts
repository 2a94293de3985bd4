import { describe, expect, it } from "vitest";
import { startBackfillWorld, writeScheduleConfig } from "./backfill-world.ts";
import { runCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const hourMs = 3_600_000;
const tempDir = tempDirs();

describe("xdr-relay run --until-idle on a configuration fault", () => {
  it("stops with exit 3 instead of waiting forever, keeps every row, and a fixed run drains them", async () => {
    const dir = tempDir("xdr-run-fault-");
    await using world = await startBackfillWorld({ dir, seed: 9, hours: 3, alertsPerHour: 20 });
    // The world's data ends three hours ago: start the schedule before it.
    const startAt = new Date(world.dataEnd - 2 * hourMs).toISOString();
    const configFile = writeScheduleConfig(dir, startAt);
    const run = (env: Record<string, string>) =>
      runCli(["run", "--until-idle", "--stats-every", "0", "--config", configFile], env);

    // A rule id that does not exist: every upload answers 404, which the sink waits out (a pause, no attempt spent).
    const wrongRule = await run({ ...world.env, XDR_RELAY_DCR_ID: "dcr-does-not-exist" });
    expect(wrongRule.code, wrongRule.stdout + wrongRule.stderr).toBe(3);
    expect(wrongRule.stderr).toContain("--until-idle stopped on a configuration fault in the sink's uploads");
    // The summary still says what the run did before the fault: it fetched, and sent rows it could not land.
    expect(wrongRule.stdout).toMatch(/windows=[1-9]\d* rowsSent=[1-9]\d* rowsIngested=0 deadLettered=0/);
    const status = await runCli(["status", "--json", "--config", configFile], world.env);
    type Depth = { active: number; scheduled: number; locked: number; deadLettered: number };
    const queues = (JSON.parse(status.stdout) as { queues: { name: string; depth: Depth }[] }).queues;
    const rows = queues.find((q) => q.name === "rows")?.depth;
    // The rows the sink held were put back for after its pause (scheduled copies): still on the queue.
    expect((rows?.active ?? 0) + (rows?.scheduled ?? 0) + (rows?.locked ?? 0), status.stdout).toBeGreaterThan(0);
    expect(rows?.deadLettered).toBe(0);

    // The rows the sink put back come due a pause (60 s) after the fault: the next run waits for them.
    const fixed = await run(world.env);
    expect(fixed.code, fixed.stderr).toBe(0);
    const landed = [
      ...(await world.ingestion.workspace.readAll("XdrAlertInfo_CL")),
      ...(await world.ingestion.workspace.readAll("XdrAlertEvidence_CL")),
    ];
    const expected = world.rowsIn(startAt, new Date(world.dataEnd).toISOString());
    expect(expected).toBeGreaterThan(0);
    expect(new Set(landed.map((r) => r["RowId"])).size, "every row of the schedule's range, once").toBe(expected);
    expect(landed).toHaveLength(expected);
  }, 240_000);
});
