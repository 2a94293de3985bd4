import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startBackfillWorld, writeScheduleConfig } from "./backfill-world.ts";
import { runCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const hourMs = 3_600_000;
const tempDir = tempDirs();

describe("xdr-relay status, beside the data a run leaves", () => {
  it("says there is no data before the first run, and that all is current after one", async () => {
    const dir = tempDir("xdr-status-");
    await using world = await startBackfillWorld({ dir, seed: 5, hours: 4, alertsPerHour: 20 });
    const startAt = new Date(Math.floor((world.now - 2 * hourMs) / 300_000) * 300_000).toISOString();
    const configFile = writeScheduleConfig(dir, startAt);

    const before = await runCli(["status", "--check", "--config", configFile], world.env);
    expect(before.code, before.stderr).toBe(1);
    // Nothing ran with this dataDir: status says so, and creates nothing there.
    expect(before.stdout).toContain(`no relay data in ${world.env.XDR_RELAY_DATA_DIR}: nothing has run with this dataDir yet`);
    expect(existsSync(world.env.XDR_RELAY_DATA_DIR)).toBe(false);
    const beforeJson = await runCli(["status", "--json", "--config", configFile], world.env);
    expect(JSON.parse(beforeJson.stdout)).toMatchObject({
      relayData: false,
      problems: [expect.stringContaining("no relay data")],
    });

    // Following a backfill where nothing ran is no success a script may go on from; a look is.
    const follow = await runCli(["backfill", "status", "--watch", "--config", configFile], world.env);
    expect(follow.code, follow.stdout).toBe(1);
    expect(follow.stdout).toContain("no relay data in");
    expect((await runCli(["backfill", "status", "--config", configFile], world.env)).code).toBe(0);

    const run = await runCli(["run", "--until-idle", "--stats-every", "0", "--config", configFile], world.env);
    expect(run.code, run.stderr).toBe(0);

    const after = await runCli(["status", "--check", "--config", configFile], world.env);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toMatch(/ {2}windows +waiting 0 {2}scheduled \d+ {2}in work 0 {2}dead letters 0/);
    expect(after.stdout).toMatch(/ {2}rows +waiting 0 {2}scheduled 0 {2}in work 0 {2}dead letters 0/);
    expect(after.stdout).toMatch(/fabrikam {2}alert-evidence {7}first pass {9}enqueued up to /);
    expect(after.stdout).toContain("all current, no dead letters");

    const json = await runCli(["status", "--json", "--config", configFile], world.env);
    const report = JSON.parse(json.stdout) as { passes: { state: string; sweep: number }[]; problems: string[] };
    expect(report.problems).toEqual([]);
    // Two queries, each a first pass and two re-sweeps (+1 h, +24 h): all current.
    expect(report.passes.map((p) => p.state)).toEqual(Array(6).fill("current"));

    // A health probe's shell has the data and the tenants, not the sink's endpoint and rule.
    const { XDR_RELAY_INGESTION_ENDPOINT: _e, XDR_RELAY_DCR_ID: _d, ...probeEnv } = world.env;
    const probe = await runCli(["status", "--check", "--json", "--config", configFile], probeEnv);
    expect(probe.code, probe.stdout + probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toMatchObject({ problems: [] });

    const badFlag = await runCli(["run", "--stats-every", "soon", "--config", configFile], world.env);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--stats-every must be 0 (none) or from 1 to 86400 seconds, got "soon"');
  });
});
