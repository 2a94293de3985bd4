import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBackfillWorld } from "./backfill-world.ts";
import { runCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

/** The instant `hours` before the world's data ends, as the CLI takes it. */
const beforeEnd = (dataEnd: number, hours: number) => new Date(dataEnd - hours * 3_600_000).toISOString();

describe("xdr-relay backfill cancel", () => {
  it("makes the fetchers drop the cancelled backfill's windows without a call, and fetch the others as before", async () => {
    const dir = tempDir("xdr-backfill-cancel-");
    await using world = await startBackfillWorld({ dir, seed: 3, hours: 6, alertsPerHour: 30 });
    const { env, dataEnd, hunting, ingestion } = world;
    const configFile = join(dir, "xdr-relay.json");
    writeFileSync(configFile, JSON.stringify({ hunting: { callsPerMinute: 10_000, callsPerHour: 100_000 } }));
    const at = (hours: number) => beforeEnd(dataEnd, hours);
    const backfill = async (from: string, to: string) => {
      const result = await runCli(["backfill", "--config", configFile, "--from", from, "--to", to], env);
      expect(result.code, result.stderr).toBe(0);
      return /as (b-\S+);/.exec(result.stdout)?.[1] ?? "";
    };

    const mistaken = await backfill(at(5), at(3)); // 2 h of 5-min windows, 2 queries: 48 windows
    const wanted = await backfill(at(3), at(1));
    // From an operator's shell that knows only the data directory: a recorded backfill names its own tenants.
    const shell = { XDR_RELAY_DATA_DIR: env.XDR_RELAY_DATA_DIR };
    const cancel = await runCli(["backfill", "cancel", "--id", mistaken], shell);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`backfill ${mistaken} (${new Date(Date.parse(at(5))).toISOString()} → `);
    expect(cancel.stdout).toContain("is cancelled: the fetchers drop its windows still queued without a hunting call");

    const callsBefore = hunting.stats.calls; // the world's own schema probes
    const run = await runCli(
      ["run", "--config", configFile, "--role", "fetcher,sink", "--until-idle", "--stats-every", "0"],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(hunting.stats.calls - callsBefore, "one call per window of the backfill still wanted").toBe(48);
    const landed = [
      ...(await ingestion.workspace.readAll("XdrAlertInfo_CL")),
      ...(await ingestion.workspace.readAll("XdrAlertEvidence_CL")),
    ];
    expect(landed.length).toBe(world.rowsIn(at(3), at(1)));

    const status = await runCli(["backfill", "status", "--id", mistaken, "--watch"], shell);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(
      `backfill ${mistaken}: 48 of 48 windows done (fetched before the cancel, or dropped after it)`,
    );
    expect(status.stdout).toMatch(/rows sent in 0 calls/);
    expect(status.stdout).toMatch(/cancelled .* ago: 48 window messages dropped without a call/);
    expect(status.stdout).not.toContain("run the same backfill again");

    const again = await runCli(["backfill", "cancel", "--config", configFile, "--id", mistaken], env);
    expect(again.stdout).toMatch(/was cancelled already, .* ago/);
    const unknown = await runCli(["backfill", "cancel", "--config", configFile, "--id", "b-nope"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no backfill b-nope in `);
    expect(unknown.stderr).toContain(`recorded: ${mistaken}, ${wanted}`);

    // The wanted one finished: a cancel would only lift the guard against fetching it again.
    const late = await runCli(["backfill", "cancel", "--config", configFile, "--id", wanted], env);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toContain(`backfill ${wanted} (`);
    expect(late.stdout).toContain("has finished: all 48 of its windows were fetched, so there is nothing to cancel");
    const repeat = await runCli(["backfill", "--config", configFile, "--from", at(3), "--to", at(1)], env);
    expect(repeat.code, "the same backfill is still refused without --again").toBe(2);
  });
});
