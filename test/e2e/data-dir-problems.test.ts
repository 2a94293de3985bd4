import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, unreachableEnv } from "./cli-process.ts";
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
});
