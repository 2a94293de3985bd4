import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { runChild, startChild } from "./child-process.ts";
import { benchDcrId, ingestionChildOptions } from "./ingestion-child-options.ts";
import { copyQueue, preloadQueue } from "./queue-files.ts";
import type { SinkTrialResult } from "./sink-trial.ts";

/**
 * `tsx scripts/bench/sink-once.ts <dir> [rows=50000]`: one sink trial as the sink bench runs it, and
 * its rate, without the baselines: a quick check while working on the sink. The preloaded queue is
 * kept in `<dir>` and reused; `XDR_BENCH_INGESTION` and `XDR_BENCH_RECEIVE` apply (see sink-trial.ts).
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
  const sink = (await runChild("sink-trial.ts", [path, endpoint, benchDcrId, "600000"])) as SinkTrialResult;
  const { rssSamples: _, ...rest } = sink;
  console.log(
    JSON.stringify({
      rowsPerS: Math.round(sink.rowsIngested / (sink.ms / 1000)),
      cpuUsPerRow: (1000 * sink.cpuMs) / sink.rowsIngested,
      ...rest,
    }),
  );
} finally {
  await emulator.close();
}
