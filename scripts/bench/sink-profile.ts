import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { benchDcrId, ingestionChildOptions } from "./ingestion-child-options.ts";
import { copyQueue, preloadQueue } from "./queue-files.ts";

/**
 * `tsx scripts/bench/sink-profile.ts <dir> [rows=50000]`: one sink trial as the sink bench runs it,
 * with `--cpu-prof` on both the sink process and the ingestion emulator child, so a profile shows
 * which side the wall time goes to. The preloaded queue is kept in `<dir>` and reused; profiles are
 * written to `<dir>/prof-<time>/` (read them with `sink-profile-summary.ts`).
 */
const [dirArg = ".bench/sink-profile", rowsArg = "50000"] = process.argv.slice(2);
const dir = resolve(dirArg);
mkdirSync(dir, { recursive: true });
const template = join(dir, `template-${rowsArg}.sqlite`);
if (!existsSync(template)) await preloadQueue(template, Number(rowsArg));
const profDir = join(dir, `prof-${Date.now()}`);
const emulator = profiled("emulator-child.ts", ["ingestion", JSON.stringify(ingestionChildOptions(join(dir, "ws")))]);
try {
  const endpoint = ((await emulator.next()) as { url: string }).url;
  const path = copyQueue(template, join(dir, "run.sqlite"));
  const sink = profiled("sink-trial.ts", [path, endpoint, benchDcrId, "600000"]);
  const result = await sink.next();
  emulator.child.stdin?.write("stats\n");
  console.log(JSON.stringify({ sink: result, emulator: await emulator.next(), profDir }));
} finally {
  emulator.child.stdin?.end();
  await new Promise((done) => emulator.child.once("exit", done));
}

/** As `child-process.ts` starts a bench child, with `--cpu-prof` (refused in NODE_OPTIONS). */
function profiled(script: string, args: readonly string[]) {
  const child = spawn(
    process.execPath,
    ["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--import", "tsx", join(import.meta.dirname, script), ...args],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    next: async (): Promise<unknown> => JSON.parse(((await lines.next()).value as string | undefined) ?? "null"),
  };
}
