import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "@xdr-relay/core";

/**
 * Creates `dataDir` and its missing parents, failing with a configuration error that names the
 * setting. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that spins forever at full CPU
 * when mkdir answers ENOENT under a parent that exists (under /proc, for one), and no stop
 * signal ends it. Here each level is tried once.
 */
export function ensureDataDir(dataDir: string): void {
  makeDirectory(resolve(dataDir), dataDir);
}

function makeDirectory(path: string, dataDir: string): void {
  try {
    mkdirSync(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && isDirectory(path)) return;
    const parent = dirname(path);
    if (code === "ENOENT" && parent !== path && !isDirectory(parent)) {
      makeDirectory(parent, dataDir);
      makeDirectory(path, dataDir);
      return;
    }
    throw unusableDataDir(dataDir, code === "EEXIST" ? `${path} exists and is not a directory` : (error as Error).message);
  }
}

/** The configuration error for a `dataDir` that cannot be used, and why. */
export function unusableDataDir(dataDir: string, why: string): ConfigError {
  return new ConfigError(`cannot use dataDir ${dataDir}: ${why} (dataDir, XDR_RELAY_DATA_DIR)`);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
