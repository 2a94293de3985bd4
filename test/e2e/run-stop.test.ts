import { join } from "node:path";
import type { QueryWindow } from "@xdr-relay/core";
import { SyntheticTenant, startHuntingEmulator } from "@xdr-relay/emulators";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { describe, expect, it } from "vitest";
import { type CliProcess, startCli, unreachableEnv } from "./cli-process.ts";
import { hourMs } from "./fetch-chaos/chaos-tenant.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

/** Starts `run`, waits until a window has been tried (and put back), then sends SIGTERM. */
async function stoppedRun(args: string[]) {
  const run = startCli(["run", "--stats-every", "0", ...args], unreachableEnv(tempDir("xdr-run-stop-")));
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    run.child.stderr?.on("data", (d) => {
      stderr += d;
      if (stderr.includes('"windowRetried"')) resolve();
    });
    run.result.then(() => reject(new Error(`run ended before it was stopped: ${stderr}`)), reject);
  });
  run.child.kill("SIGTERM");
  return run.result;
}

describe("xdr-relay run stopped by a signal", () => {
  it("exits 130 with --until-idle, which was stopped before it was done", async () => {
    const result = await stoppedRun(["--until-idle"]);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).toMatch(/windows=0 rowsSent=0 rowsIngested=0 deadLettered=0/);
  });

  it("exits 0 without it: a stop is how a service ends", async () => {
    const result = await stoppedRun([]);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe("xdr-relay run stopped during a hunting call", () => {
  it("stops at once instead of waiting for the call, and puts its window back on the queue with no attempt spent", async () => {
    const dataDir = tempDir("xdr-run-stop-call-");
    const nowMs = Date.now();
    const tenant = new SyntheticTenant({ id: "contoso", seed: 7, startMs: nowMs - 6 * hourMs, endMs: nowMs, alertsPerHour: 10 });
    await using hunting = await startHuntingEmulator({ tenants: [tenant], callsPerMinute: Number.POSITIVE_INFINITY });
    // Every call hangs for two minutes first, as one the service runs into its 3-minute limit does.
    for (let i = 0; i < 50; i++) hunting.faults.push({ delayMs: 120_000 });
    const env = { ...unreachableEnv(dataDir), XDR_RELAY_HUNTING_URL: hunting.tenantUrlTemplate };
    const run = startCli(["run", "--stats-every", "0", "--log-level", "debug"], env);
    await until(() => hunting.stats.faulted > 0, run);
    const stoppedAt = Date.now();
    run.child.kill("SIGTERM");
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - stoppedAt, "time from SIGTERM to exit").toBeLessThan(20_000);
    expect(result.stderr).toContain('"windowInterrupted"');

    const queue = new EmbeddedQueueClient({ path: join(dataDir, "queue.sqlite") });
    try {
      const windows = await queue.peekMessages("windows", { maxMessageCount: 1_000 });
      const interrupted = windows.map((m) => m.body as QueryWindow);
      expect(interrupted.length).toBeGreaterThan(0);
      expect(interrupted.every((w) => w.attempt === 0)).toBe(true);
      expect(queue.stats("windows").deadLettered).toBe(0);
    } finally {
      await queue.close();
    }
  });
});

/** Resolves once `ready()` holds; fails if the process ends first. */
async function until(ready: () => boolean, run: CliProcess): Promise<void> {
  let ended = false;
  void run.result.then(() => {
    ended = true;
  });
  while (!ready()) {
    if (ended) throw new Error(`run ended early: ${(await run.result).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
