#!/usr/bin/env node
// The two quick-start commands (`npm start`, `npm test`) go through here so that a fresh machine
// with only Node.js and npm needs nothing else: pnpm comes through npx at the version the lockfile
// was written with, dependencies are installed when missing or older than the lockfile, then the
// task runs. Usage: node scripts/bootstrap.mjs <demo|test> [args...]
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pnpmVersion = "12.4.2";
const [task, ...args] = process.argv.slice(2);

/**
 * Runs a command to its end and returns its exit code (128 + the signal's number if one ended it).
 * Ctrl-C reaches the whole foreground process group, the command included: it stops gracefully
 * (the demo says how far it got, then exits 130), so this process only waits for it, and the
 * shell prompt comes back after its last line. A SIGTERM is sent to this process alone (a
 * supervisor, a CI timeout): it is passed on, so the command does not outlive the wrapper.
 * Under `npm start` a SIGTERM to npm ends npm and its shell but not this process, which is left
 * orphaned (its parent becomes another process): that is taken for the same SIGTERM.
 */
function run(command, commandArgs, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: "inherit", env: { ...process.env, ...extraEnv } });
    const waitForChild = () => undefined;
    // Once: a second SIGTERM soon after would not force the command (it takes that for a copy), but
    // there is no need to send one.
    let passed = false;
    const passOn = () => {
      if (passed) return;
      passed = true;
      child.kill("SIGTERM");
    };
    process.on("SIGINT", waitForChild);
    process.on("SIGTERM", passOn);
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(orphaned);
      passOn();
    }, 500);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(orphaned);
      process.off("SIGINT", waitForChild);
      process.off("SIGTERM", passOn);
      resolve(signal ? 128 + (osConstants.signals[signal] ?? 0) : (code ?? 1));
    });
  });
}

async function installIfNeeded() {
  const marker = join(root, "node_modules", ".modules.yaml");
  const lock = join(root, "pnpm-lock.yaml");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error(`[xdr-relay] installing dependencies with pnpm ${pnpmVersion} (first run only)...`);
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const status = await run(npx, ["--yes", `pnpm@${pnpmVersion}`, "install", "--frozen-lockfile"]);
  if (status !== 0) process.exit(status);
}

const tasks = {
  demo: () => run(process.execPath, ["--import", "tsx", "packages/cli/src/main.ts", "demo", ...args]),
  test: () => run(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...args]),
};

const selected = tasks[task];
if (!selected) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(tasks).join("|")}> [args...]`);
  process.exit(2);
}
await installIfNeeded();
process.exit(await selected());
