import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

export interface CliResult {
  readonly code: number | null;
  /** The signal that ended the process (e.g. SIGKILL from a crash test), else null. */
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `xdr-relay` process: kill it at will, `result` resolves when it has closed. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
}

/** Starts `xdr-relay <args>` as a user would, in its own process, with only the given environment. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "packages/cli/src/main.ts"), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

/** Runs `xdr-relay <args>` to its end (killed after `timeoutMs`). */
export async function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  const { child, result } = startCli(args, env);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    return await result;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The environment of a relay on `dataDir` whose hunting and ingestion endpoints refuse connections:
 * its windows are retried, never done, and nothing it uploads lands.
 */
export function unreachableEnv(dataDir: string): Record<string, string> {
  return {
    XDR_RELAY_DATA_DIR: dataDir,
    XDR_RELAY_AUTH: "none",
    XDR_RELAY_HUNTING_URL: "http://127.0.0.1:9/hunting",
    XDR_RELAY_INGESTION_ENDPOINT: "http://127.0.0.1:9",
    XDR_RELAY_DCR_ID: "dcr-unused",
    XDR_RELAY_TENANTS: "contoso",
  };
}
