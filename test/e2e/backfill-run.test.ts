import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBackfillWorld } from "./backfill-world.ts";
import { runCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const hourMs = 3_600_000;
const tempDir = tempDirs();

describe("xdr-relay backfill, then run --until-idle, as separate commands", () => {
  it("lands every row Defender holds for the range exactly once, and nothing outside it", async () => {
    const dir = tempDir("xdr-backfill-");
    await using world = await startBackfillWorld({ dir, seed: 11, hours: 8, alertsPerHour: 60, edgeRowsEveryMs: 300_000 });
    const { env, dataEnd, ingestion } = world;
    // A range that starts and ends inside the data: rows outside it must not land.
    const from = new Date(dataEnd - 6 * hourMs).toISOString();
    const to = new Date(dataEnd - 1 * hourMs).toISOString();
    // 122 windows would take 3 min at the default budget of 45 calls/min: raise it in a config file.
    const configFile = join(dir, "xdr-relay.json");
    writeFileSync(configFile, JSON.stringify({ hunting: { callsPerMinute: 10_000, callsPerHour: 100_000 } }));
    const backfill = await runCli(["backfill", "--config", configFile, "--from", from, "--to", to], env);
    expect(backfill.code, backfill.stderr).toBe(0);
    expect(backfill.stdout).toContain("backfill enqueued 120 windows"); // 5 h of 5-min windows, 2 queries

    const run = await runCli(["run", "--config", configFile, "--until-idle"], env);
    expect(run.code, run.stderr).toBe(0);

    const range = { startMs: Date.parse(from), endMs: Date.parse(to) };
    const expected = world.rowsIn(from, to);
    const landed = [
      ...(await ingestion.workspace.readAll("XdrAlertInfo_CL")),
      ...(await ingestion.workspace.readAll("XdrAlertEvidence_CL")),
    ];
    expect(landed.length).toBe(expected);
    expect(new Set(landed.map((r) => r["RowId"])).size).toBe(expected);
    for (const row of landed) {
      const t = Date.parse(String(row["Timestamp"]));
      expect(t >= range.startMs && t < range.endMs, String(row["Timestamp"])).toBe(true);
    }
    expect(landed.some((r) => Date.parse(String(r["Timestamp"])) % 300_000 === 0)).toBe(true); // edge rows included

    const dlq = await runCli(["dlq", "list"], env);
    expect(dlq.stdout).toContain("windows: 0 dead-lettered");
    expect(dlq.stdout).toContain("windows-backfill: 0 dead-lettered");
    expect(dlq.stdout).toContain("rows: 0 dead-lettered");
  });
});
