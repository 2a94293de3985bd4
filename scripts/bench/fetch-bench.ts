import { type BenchChild, runChild, startChild } from "./child-process.ts";
import type { FetchTrialResult } from "./fetch-trial.ts";
import { median, repeat } from "./harness.ts";
import { benchTenant } from "./tenant.ts";

/**
 * Benchmark 1 (issue 3): one window of ~`rows` AlertEvidence rows fetched from the hunting emulator
 * by the real fetcher path, against JSON.parse of the same body. The emulator runs in a child
 * process; each trial runs in a fresh child so its RSS high-water mark is its own.
 */
export interface FetchBenchResult {
  readonly rows: number;
  readonly responseBytes: number;
  readonly runs: number;
  readonly parseRowsPerS: number;
  readonly fetcherRowsPerS: number;
  /** Download alone (emulator → text), the ceiling the emulator sets. */
  readonly downloadRowsPerS: number;
  /** Median over adjacent (parse, fetcher) pairs of fetcher rate / JSON.parse rate. Target ≥ 0.5. */
  readonly rateRatio: number;
  /** Fetcher rate / download-only rate: how much of the emulator's ceiling the fetcher reaches. */
  readonly downloadRatio: number;
  readonly fetcherPeakRssIncreaseBytes: number;
  readonly parsePeakRssIncreaseBytes: number;
  /** Fetcher peak RSS increase / response size. Target < 3. */
  readonly memoryRatio: number;
}

export async function fetchBench(options: { rows: number; runs: number }): Promise<FetchBenchResult> {
  const rowCap = options.rows * 10; // well above the window, so it is never split
  const { options: tenant, windowStartMs } = benchTenant(Math.round(options.rows / 3));
  const emulator: BenchChild = await startChild("emulator-child.ts", ["hunting", JSON.stringify({ tenant, rowCap })]);
  const url = (emulator.first as { url: string }).url;
  try {
    const trial = (mode: string) =>
      runChild("fetch-trial.ts", [mode, url, String(windowStartMs), String(rowCap)]) as Promise<FetchTrialResult>;
    const pairs = await repeat(options.runs, async () => ({ parse: await trial("parse"), fetcher: await trial("fetcher") }));
    const rate = (t: FetchTrialResult, ms = t.ms) => t.rows / (ms / 1000);
    const first = pairs[0]?.parse as FetchTrialResult;
    const fetcherPeak = median(pairs.map((p) => p.fetcher.peakRssIncreaseBytes));
    return {
      rows: first.rows,
      responseBytes: first.responseBytes,
      runs: options.runs,
      parseRowsPerS: median(pairs.map((p) => rate(p.parse))),
      fetcherRowsPerS: median(pairs.map((p) => rate(p.fetcher))),
      downloadRowsPerS: median(pairs.map((p) => rate(p.parse, p.parse.downloadMs))),
      rateRatio: median(pairs.map((p) => rate(p.fetcher) / rate(p.parse))),
      downloadRatio: median(pairs.map((p) => rate(p.fetcher) / rate(p.parse, p.parse.downloadMs))),
      fetcherPeakRssIncreaseBytes: fetcherPeak,
      parsePeakRssIncreaseBytes: median(pairs.map((p) => p.parse.peakRssIncreaseBytes)),
      memoryRatio: fetcherPeak / first.responseBytes,
    };
  } finally {
    await emulator.close();
  }
}
