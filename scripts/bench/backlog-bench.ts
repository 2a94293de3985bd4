import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runChild, startChild } from "./child-process.ts";
import { benchDcrId, ingestionChildOptions } from "./ingestion-child-options.ts";
import { preloadQueue } from "./queue-files.ts";
import type { SinkTrialResult } from "./sink-trial.ts";

/**
 * Benchmark 3 (issue 4): a backlog of `rows` row messages drained by the sink for at most `drainMs`,
 * RSS sampled every second in the sink's own process. "Flat": the last third's mean RSS is within
 * 10 % of the first third's.
 */
export interface BacklogBenchResult {
  readonly backlogRows: number;
  readonly preloadMs: number;
  readonly drainedRows: number;
  readonly drainMs: number;
  readonly rssSamplesBytes: number[];
  readonly peakRssBytes: number;
  readonly firstThirdMeanBytes: number;
  readonly lastThirdMeanBytes: number;
  /** lastThirdMean / firstThirdMean; flat when ≤ 1.1. */
  readonly growth: number;
  readonly flat: boolean;
}

export async function backlogBench(options: { rows: number; drainMs: number; dir: string }): Promise<BacklogBenchResult> {
  mkdirSync(options.dir, { recursive: true });
  const preload = await preloadQueue(join(options.dir, "backlog.sqlite"), options.rows);
  const emulator = await startChild("emulator-child.ts", [
    "ingestion",
    JSON.stringify(ingestionChildOptions(join(options.dir, "backlog-ws"))),
  ]);
  try {
    const endpoint = (emulator.first as { url: string }).url;
    const sink = (await runChild("sink-trial.ts", [
      preload.path,
      endpoint,
      benchDcrId,
      String(options.drainMs),
    ])) as SinkTrialResult;
    const samples = sink.rssSamples;
    const third = Math.max(1, Math.floor(samples.length / 3));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const firstThirdMeanBytes = mean(samples.slice(0, third));
    const lastThirdMeanBytes = mean(samples.slice(-third));
    const growth = lastThirdMeanBytes / firstThirdMeanBytes;
    return {
      backlogRows: preload.rows,
      preloadMs: preload.ms,
      drainedRows: sink.rowsIngested,
      drainMs: sink.ms,
      rssSamplesBytes: samples,
      peakRssBytes: Math.max(sink.maxRssBytes, ...samples),
      firstThirdMeanBytes,
      lastThirdMeanBytes,
      growth,
      flat: growth <= 1.1,
    };
  } finally {
    await emulator.close();
  }
}
