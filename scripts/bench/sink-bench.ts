import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runChild, startChild } from "./child-process.ts";
import { median, repeat } from "./harness.ts";
import { benchDcrId, ingestionChildOptions } from "./ingestion-child-options.ts";
import { copyQueue, type PreloadedQueue, preloadQueue } from "./queue-files.ts";
import { type SdkFloorResult, sdkFloor } from "./sdk-floor.ts";
import type { SinkTrialResult } from "./sink-trial.ts";
import { type StringifyGzipResult, stringifyGzip } from "./stringify-gzip.ts";

/**
 * Benchmark 2 (issue 4): `rows` row messages preloaded into an embedded queue, drained by the sink
 * role's logic (child process) into the ingestion emulator (another child process), against the
 * in-process JSON.stringify + gzip ceiling of the same rows.
 */
export interface SinkBenchResult {
  readonly rows: number;
  readonly runs: number;
  readonly preloadRowsPerS: number;
  readonly sinkRowsPerS: number;
  readonly baseline: StringifyGzipResult;
  /** Sink rate / stringify+gzip rate. Target ≥ 0.7. */
  readonly rateRatio: number;
  /** The SDK's upload alone (see `sdkFloor`): the best rate the sink can reach. */
  readonly sdkFloor: SdkFloorResult;
  /** SDK floor rate / stringify+gzip rate: the best rate ratio any sink on this SDK can reach. */
  readonly sdkFloorRatio: number;
  /** A minimal sink's rate (see `SdkFloorResult`) / stringify+gzip rate: any sink's best on this SDK. */
  readonly minimalSinkRatio: number;
  readonly uploadCalls: number;
  /** ⌈uncompressed bytes / 1,000,000⌉. */
  readonly idealCalls: number;
  /** Upload calls / ideal. Target ≤ 1.05. */
  readonly callsVsIdeal: number;
  /** Upload calls / rows (the original recipe made one call per row). */
  readonly callsPerRow: number;
  readonly rowsAccepted: number;
  readonly sinkPeakRssBytes: number;
}

interface EmulatorStats {
  readonly calls: number;
  readonly rowsAccepted: number;
}

export async function sinkBench(options: {
  rows: number;
  runs: number;
  dir: string;
}): Promise<SinkBenchResult & { preload: PreloadedQueue }> {
  mkdirSync(options.dir, { recursive: true });
  const preload = await preloadQueue(join(options.dir, "template.sqlite"), options.rows);
  const baseline = await stringifyGzip(options.rows, options.runs);
  const floor = await sdkFloor(options.rows, options.runs);
  const emulator = await startChild("emulator-child.ts", [
    "ingestion",
    JSON.stringify(ingestionChildOptions(join(options.dir, "ws"))),
  ]);
  const endpoint = (emulator.first as { url: string }).url;
  try {
    const trials = await repeat(options.runs, async (run) => {
      const path = copyQueue(preload.path, join(options.dir, `run${run}.sqlite`));
      const before = (await emulator.request("stats")) as EmulatorStats;
      const sink = (await runChild("sink-trial.ts", [path, endpoint, benchDcrId, "600000"])) as SinkTrialResult;
      const after = (await emulator.request("stats")) as EmulatorStats;
      return { sink, calls: after.calls - before.calls, accepted: after.rowsAccepted - before.rowsAccepted };
    });
    const sinkRowsPerS = median(trials.map((t) => t.sink.rowsIngested / (t.sink.ms / 1000)));
    const uploadCalls = median(trials.map((t) => t.calls));
    const idealCalls = Math.ceil(baseline.uncompressedBytes / 1_000_000);
    return {
      preload,
      rows: preload.rows,
      runs: options.runs,
      preloadRowsPerS: preload.rows / (preload.ms / 1000),
      sinkRowsPerS,
      baseline,
      rateRatio: sinkRowsPerS / baseline.rowsPerS,
      sdkFloor: floor,
      sdkFloorRatio: floor.rowsPerS / baseline.rowsPerS,
      minimalSinkRatio: floor.minimalSinkRowsPerS / baseline.rowsPerS,
      uploadCalls,
      idealCalls,
      callsVsIdeal: uploadCalls / idealCalls,
      callsPerRow: uploadCalls / preload.rows,
      rowsAccepted: median(trials.map((t) => t.accepted)),
      sinkPeakRssBytes: median(trials.map((t) => t.sink.maxRssBytes)),
    };
  } finally {
    await emulator.close();
  }
}
