#!/usr/bin/env node
// The two quick-start commands (`npm start`, `npm test`) go through here so that a fresh machine
// with only Node.js and npm needs nothing else: pnpm comes through npx at the version the lockfile
// was written with, dependencies are installed when missing or older than the lockfile, then the
// task runs. Usage: node scripts/bootstrap.mjs <demo|test> [args...]
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pnpmVersion = "12.4.2";
const [task, ...args] = process.argv.slice(2);

// Ctrl-C reaches the whole foreground process group: the task gets it too and stops gracefully
// (the demo says how far it got, then exits 130). This process only waits for it, so the shell
// prompt comes back after the task's last line, with the task's exit code.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => undefined);

function run(command, commandArgs, extraEnv = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (result.error) throw result.error;
  if (result.signal) return 128 + (osConstants.signals[result.signal] ?? 0);
  return result.status ?? 1;
}

function installIfNeeded() {
  const marker = join(root, "node_modules", ".modules.yaml");
  const lock = join(root, "pnpm-lock.yaml");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error(`[xdr-relay] installing dependencies with pnpm ${pnpmVersion} (first run only)...`);
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const status = run(npx, ["--yes", `pnpm@${pnpmVersion}`, "install", "--frozen-lockfile"]);
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
installIfNeeded();
process.exit(selected());
