import { describe, expect, it } from "vitest";
import { startCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

/** A relay whose hunting endpoint refuses connections: its windows are retried, never done. */
function unreachableEnv(dataDir: string): Record<string, string> {
  return {
    XDR_RELAY_DATA_DIR: dataDir,
    XDR_RELAY_AUTH: "none",
    XDR_RELAY_HUNTING_URL: "http://127.0.0.1:9/hunting",
    XDR_RELAY_INGESTION_ENDPOINT: "http://127.0.0.1:9",
    XDR_RELAY_DCR_ID: "dcr-unused",
    XDR_RELAY_TENANTS: "contoso",
  };
}

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
