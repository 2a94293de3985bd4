import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isConfigError } from "@xdr-relay/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureDataDir } from "./data-dir.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xdr-data-dir-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function failure(dataDir: string): Error {
  try {
    ensureDataDir(dataDir);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`ensureDataDir(${dataDir}) did not fail`);
}

describe("ensureDataDir", () => {
  it("creates the directory and its missing parents, and accepts one that exists", () => {
    const nested = join(dir, "a", "b", "c");
    ensureDataDir(nested);
    expect(statSync(nested).isDirectory()).toBe(true);
    ensureDataDir(nested);
  });

  it("refuses a path that is a file, or under a file, as a configuration error naming the setting", () => {
    const file = join(dir, "taken");
    writeFileSync(file, "");
    for (const dataDir of [file, join(file, "relay")]) {
      const error = failure(dataDir);
      expect(isConfigError(error)).toBe(true);
      expect(error.message).toContain(`cannot use dataDir ${dataDir}`);
      expect(error.message).toContain("XDR_RELAY_DATA_DIR");
    }
    expect(failure(file).message).toContain("exists and is not a directory");
  });

  // Node 20's recursive mkdir loops forever here (ENOENT under a parent that exists).
  it.runIf(existsSync("/proc/self"))("fails at once where the file system refuses the directory (/proc)", () => {
    expect(isConfigError(failure("/proc/xdr-relay-data"))).toBe(true);
    expect(isConfigError(failure("/proc/xdr-relay/deeper"))).toBe(true);
  });
});
