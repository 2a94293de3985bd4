import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { claimDemoDataDir, demoMarker } from "./demo-data-dir.ts";

describe("claimDemoDataDir", () => {
  const made: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "xdr-demo-dir-"));
    made.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a --data-dir holding data it did not make, and leaves that data alone", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "queue.sqlite"), "a relay's queue");
    expect(() => claimDemoDataDir(dir, { ownDir: false })).toThrow(
      expect.objectContaining({ name: "UsageError", message: expect.stringContaining("the demo did not make") }),
    );
    expect(readdirSync(dir)).toEqual(["queue.sqlite"]);
  });

  // Raw ENOENT (mkdir '') and ENOTDIR (scandir) errors with exit 1 before: now a usage error, exit 2.
  it("refuses, in words, an empty --data-dir, a file, and a path under a file, and leaves the file alone", () => {
    const file = join(tempDir(), "notes.txt");
    writeFileSync(file, "mine");
    const refusal = (dir: string, problem: string) =>
      expect.objectContaining({
        name: "UsageError",
        message: `--data-dir ${JSON.stringify(dir)} ${problem}; give it a new or empty directory`,
      });
    expect(() => claimDemoDataDir("", { ownDir: false })).toThrow(refusal("", "is empty"));
    expect(() => claimDemoDataDir(file, { ownDir: false })).toThrow(refusal(file, "is a file, not a directory"));
    expect(() => claimDemoDataDir(file, { ownDir: true })).toThrow(refusal(file, "is a file, not a directory"));
    const under = join(file, "demo");
    expect(() => claimDemoDataDir(under, { ownDir: false })).toThrow(refusal(under, "lies under a file, not a directory"));
    expect(readFileSync(file, "utf8")).toBe("mine");
  });

  it("empties a directory an earlier demo made, and marks it again", () => {
    const dir = tempDir();
    claimDemoDataDir(dir, { ownDir: false });
    writeFileSync(join(dir, "queue.sqlite"), "last run");
    claimDemoDataDir(dir, { ownDir: false });
    expect(readdirSync(dir)).toEqual([demoMarker]);
  });

  it("takes a new or empty directory", () => {
    const parent = tempDir();
    const fresh = join(parent, "new");
    const empty = join(parent, "empty");
    mkdirSync(empty);
    claimDemoDataDir(fresh, { ownDir: false });
    claimDemoDataDir(empty, { ownDir: false });
    expect([existsSync(join(fresh, demoMarker)), existsSync(join(empty, demoMarker))]).toEqual([true, true]);
  });

  it("empties its own default directory even without the marker (earlier releases left none)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "queue.sqlite"), "an older demo's run");
    claimDemoDataDir(dir, { ownDir: true });
    expect(readdirSync(dir)).toEqual([demoMarker]);
  });
});
