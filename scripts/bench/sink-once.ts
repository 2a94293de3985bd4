import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startChild } from "./child-process.ts";
import { ingestionChildOptions } from "./ingestion-child-options.ts";
import { copyQueue, preloadQueue } from "./queue-files.ts";
import { drainSideBySide } from "./side-by-side.ts";

/**
 * `tsx scripts/bench/sink-once.ts <dir> [rows=50000]`: one sink trial as the sink bench runs it, and
 * its rate, without the baselines: a quick check while working on the sink. The preloaded queue is
 * kept in `<dir>` and reused; `XDR_BENCH_INGESTION` and `XDR_BENCH_RECEIVE` apply (see sink-trial.ts),
 * and `XDR_BENCH_SINKS=2` drains it with two sink processes side by side.
 */
const [dirArg = ".bench/sink-once", rowsArg = "50000"] = process.argv.slice(2);
const dir = resolve(dirArg);
mkdirSync(dir, { recursive: true });
const template = join(dir, `template-${rowsArg}.sqlite`);
if (!existsSync(template)) await preloadQueue(template, Number(rowsArg));
const emulator = await startChild("emulator-child.ts", ["ingestion", JSON.stringify(ingestionChildOptions(join(dir, "ws")))]);
try {
  const endpoint = (emulator.first as { url: string }).url;
  const path = copyQueue(template, join(dir, "run.sqlite"));
  const drain = await drainSideBySide(path, endpoint, Number(process.env["XDR_BENCH_SINKS"] ?? 1));
  const { sinks, ...totals } = drain;
  const each = sinks.map(({ rssSamples: _, ...rest }) => rest);
  console.log(JSON.stringify({ ...totals, rowsPerS: Math.round(totals.rowsPerS), each }));
} finally {
  await emulator.close();
}
