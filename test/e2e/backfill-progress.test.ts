import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { describe, expect, it } from "vitest";
import { startBackfillWorld } from "./backfill-world.ts";
import { runCli, startCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const hourMs = 3_600_000;
const tempDir = tempDirs();

/** The numbers the final report gives: windows fetched, rows sent, calls, split, throttled. */
function report(stdout: string) {
  const m = /fetched in .*?; ([\d,]+) rows sent in ([\d,]+) calls \(([\d,]+) split, ([\d,]+) throttled\)/.exec(stdout);
  const n = (i: number) => Number(m?.[i]?.replace(/,/g, ""));
  return { rowsSent: n(1), calls: n(2), splits: n(3), throttled: n(4) };
}

describe("xdr-relay backfill: estimate, then progress while a fetcher in another process works", () => {
  it("estimates, enqueues nothing on --dry-run, follows the fetch to the end, and counts replayed dead letters in", async () => {
    const dir = tempDir("xdr-backfill-progress-");
    await using world = await startBackfillWorld({ dir, seed: 5, hours: 6, alertsPerHour: 40 });
    const { hunting, env, dataEnd, tenant, now } = world;
    const dataDir = env.XDR_RELAY_DATA_DIR;
    const configFile = join(dir, "xdr-relay.json");
    writeFileSync(configFile, JSON.stringify({ hunting: { callsPerMinute: 10_000, callsPerHour: 100_000 } }));
    const from = new Date(dataEnd - 5 * hourMs).toISOString();
    const to = new Date(dataEnd).toISOString();
    const range = ["--config", configFile, "--from", from, "--to", to];

    const dry = await runCli(["backfill", ...range, "--dry-run"], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("fabrikam  alert-info 60 · alert-evidence 60  = 120 calls");
    expect(dry.stdout).toContain("120 windows in all: at least 120 hunting calls, one per window.");
    expect(dry.stdout).toContain("At 9,000 calls/min and 90,000 calls/h per tenant");
    expect(dry.stdout).toContain("dry run: nothing enqueued");
    expect(existsSync(join(dataDir, "queue.sqlite"))).toBe(false);

    // One 429, one result too big (the window is split: two more calls), one query refused (dead-lettered).
    hunting.faults.push({ status: 429, retryAfterSeconds: 1 }, { status: 400, kind: "resultSize" }, { status: 400 });
    const fetcher = startCli(["run", "--config", configFile, "--role", "fetcher,sink"], env);
    try {
      const watched = await runCli(["backfill", ...range, "--watch"], env);
      expect(watched.code, watched.stdout + watched.stderr).toBe(1);
      expect(watched.stdout).toMatch(/backfill enqueued 120 windows .* as b-\d{8}T\d{6}Z-[0-9a-f]{4}/);
      expect(watched.stdout).toMatch(/\[=+> *\] +\d+% [\d,]+\/120 windows · [\d,]+ rows sent · [\d,]+ calls/);
      expect(watched.stdout).toContain("119 of 120 windows fetched");
      expect(watched.stdout).toContain("1 window was dead-lettered");
      expect(watched.stdout).toContain("`xdr-relay dlq replay --queue windows-backfill`");
      expect(report(watched.stdout)).toMatchObject({ calls: 123, splits: 1, throttled: 1 });

      const dead = await deadLetteredWindow(dataDir);
      const all = world.rowsIn(from, to);
      const inDead = tenant.count(dead.table, { startMs: Date.parse(dead.start), endMs: Date.parse(dead.end) }, now);
      expect(report(watched.stdout).rowsSent).toBe(all - inDead);

      // The cause fixed (the fault was used up), the window replayed: it counts towards the backfill again.
      expect((await runCli(["dlq", "replay", "--queue", "windows-backfill"], env)).code).toBe(0);
      const status = await runCli(["backfill", "status", "--watch"], env);
      expect(status.code, status.stdout + status.stderr).toBe(0);
      expect(status.stdout).toContain("120 of 120 windows fetched");
      // Named first, so an operator who lost the enqueue's output still has its id.
      expect(status.stdout.split("\n")[0]).toMatch(/^backfill b-\S+: \S+Z to \S+Z, 120 windows$/);
      expect(report(status.stdout)).toMatchObject({ rowsSent: all, calls: 124 });
    } finally {
      fetcher.child.kill("SIGTERM");
      await fetcher.result;
    }
  });
});

async function deadLetteredWindow(dataDir: string) {
  const queue = new EmbeddedQueueClient({ path: join(dataDir, "queue.sqlite") });
  try {
    const [m] = await queue.peekMessages("windows-backfill", { subQueue: "deadLetter", maxMessageCount: 10 });
    const w = m?.body as { query: string; start: string; end: string };
    return { ...w, table: w.query === "alert-info" ? ("AlertInfo" as const) : ("AlertEvidence" as const) };
  } finally {
    await queue.close();
  }
}
