import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startCli, unreachableEnv } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

/** What an operator reads when the data directory is not what it should be: the file, and the fix. */
describe("a data directory that cannot be used", () => {
  it("says dataDir is a file, where status and dlq list said nothing had run there", async () => {
    const dataDir = join(tempDir("xdr-data-dir-"), "relay");
    writeFileSync(dataDir, "not a directory");
    for (const args of [["status"], ["dlq", "list"]]) {
      const result = await runCli(args, unreachableEnv(dataDir));
      expect(result.code, result.stdout + result.stderr).toBe(3);
      expect(result.stderr).toContain(`cannot use dataDir ${dataDir}: it exists and is not a directory`);
    }
  });

  it("names a queue file that is no database, and what to do, where libsql said only 'file is not a database'", async () => {
    const dataDir = tempDir("xdr-data-dir-");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "queue.sqlite"), Buffer.alloc(8192, 7));
    const result = await runCli(["status"], unreachableEnv(dataDir));
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain(
      `${join(dataDir, "queue.sqlite")} is not a SQLite database (damaged, or another file): restore it`,
    );
  });

  it("stops a running relay whose data directory was deleted under it, instead of going on into a file that is gone", async () => {
    const dataDir = join(tempDir("xdr-data-dir-"), "relay");
    const run = startCli(["run", "--stats-every", "0"], unreachableEnv(dataDir));
    const started = Date.now();
    while (!existsSync(join(dataDir, "checkpoints.sqlite"))) {
      if (Date.now() - started > 20_000) throw new Error("run never opened its data files");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rmSync(dataDir, { recursive: true, force: true });
    const deletedAt = Date.now();
    const result = await run.result;
    expect(result.code, result.stderr).toBe(1);
    expect(Date.now() - deletedAt, "time from the deletion to the exit").toBeLessThan(15_000);
    expect(result.stderr).toMatch(/queue\.sqlite was deleted or replaced while the relay was writing it/);
  });
});
