import { availableParallelism } from "node:os";
import { builtInQueries, windowedQuery, windowTimespan } from "../../packages/core/src/index.ts";
import { type BenchChild, runChild, startChild } from "./child-process.ts";
import type { FetchTrialResult } from "./fetch-trial.ts";
import { median, repeat, timed } from "./harness.ts";
import { benchTenant, windowMs } from "./tenant.ts";

/**
 * Benchmark 1 (issue 3): one window of ~`rows` AlertEvidence rows fetched from the hunting emulator
 * by the real fetcher path, against JSON.parse of the same body. The emulator runs in a child
 * process; each trial runs in a fresh child so its RSS high-water mark is its own.
 *
 * The emulator renders the window once, before the trials (`emulatorRenderMs`), and serves every
 * trial the same bytes from its result cache: without that warm-up the first trial alone would pay
 * the rendering, and the parse and fetcher trials would not download alike.
 */
export interface FetchBenchResult {
  readonly rows: number;
  readonly responseBytes: number;
  readonly runs: number;
  readonly parseRowsPerS: number;
  readonly fetcherRowsPerS: number;
  /** Download alone (emulator → bytes, not decoded), the ceiling the emulator sets. */
  readonly downloadRowsPerS: number;
  /** Median over adjacent (parse, fetcher) pairs of fetcher rate / JSON.parse rate. Target ≥ 0.5. */
  readonly rateRatio: number;
  /** Fetcher rate / download-only rate: how much of the emulator's ceiling the fetcher reaches. */
  readonly downloadRatio: number;
  /** Download-only rate / JSON.parse rate: the best rate ratio this emulator allows. */
  readonly downloadToParseRatio: number;
  /**
   * JSON.parse time / (JSON.parse + row ids) time: the best rate ratio any fetcher can reach on
   * this machine, download and queue free, since every fetch parses the body and computes each
   * row's id (its message id). Below 0.5, the target is out of reach before a byte is stored.
   */
  readonly parseAndIdsRatio: number;
  /**
   * The best rate ratio any fetcher storing into SQLite can reach on this machine, download free:
   * JSON.parse time / ((JSON.parse + row ids + plain SQLite store) time / cores), as if that work
   * were shared perfectly over every core. Each part is work the fetcher cannot skip (see
   * `FetchTrialResult.plainStoreMs`). Below 0.5, the target is out of reach for a SQLite-backed queue.
   */
  readonly sqliteCeilingRatio: number;
  readonly cores: number;
  /** JSON.stringify + INSERT of each row into a plain SQLite table (median ms). */
  readonly plainStoreMs: number;
  /** Row ids of the window, after its parse (median ms). */
  readonly rowIdMs: number;
  /**
   * JSON.parse time / (JSON.parse + JSON.stringify of each row) time: the ratio left if storing a
   * row cost no more than serialising it once, with no id, no download and no disk.
   */
  readonly parseAndStringifyRatio: number;
  /** Where the fetcher's time went (medians): the hunting call, the queue's sends, the rest (ids, messages). */
  readonly fetcherMs: {
    readonly total: number;
    readonly huntingCall: number;
    readonly queueSends: number;
    readonly other: number;
  };
  /** The emulator's first rendering of the window (download included), before the trials. */
  readonly emulatorRenderMs: number;
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
    const warmUp = await timed(() => download(url, windowStartMs));
    const trial = (mode: string) =>
      runChild("fetch-trial.ts", [mode, url, String(windowStartMs), String(rowCap)]) as Promise<FetchTrialResult>;
    const pairs = await repeat(options.runs, async () => ({ parse: await trial("parse"), fetcher: await trial("fetcher") }));
    const rate = (t: FetchTrialResult, ms = t.ms) => t.rows / (ms / 1000);
    const first = pairs[0]?.parse as FetchTrialResult;
    if (first.responseBytes !== warmUp.value) throw new Error("the emulator served the window with another size than at warm-up");
    const fetcherPeak = median(pairs.map((p) => p.fetcher.peakRssIncreaseBytes));
    const fetchers = pairs.map((p) => p.fetcher);
    return {
      rows: first.rows,
      responseBytes: first.responseBytes,
      runs: options.runs,
      parseRowsPerS: median(pairs.map((p) => rate(p.parse))),
      fetcherRowsPerS: median(pairs.map((p) => rate(p.fetcher))),
      downloadRowsPerS: median(pairs.map((p) => rate(p.parse, p.parse.downloadMs))),
      rateRatio: median(pairs.map((p) => rate(p.fetcher) / rate(p.parse))),
      downloadRatio: median(pairs.map((p) => rate(p.fetcher) / rate(p.parse, p.parse.downloadMs))),
      downloadToParseRatio: median(pairs.map((p) => rate(p.parse, p.parse.downloadMs) / rate(p.parse))),
      parseAndIdsRatio: median(pairs.map((p) => p.parse.ms / (p.parse.ms + p.parse.rowIdMs))),
      sqliteCeilingRatio: median(
        pairs.map((p) => p.parse.ms / ((p.parse.ms + p.parse.rowIdMs + p.parse.plainStoreMs) / availableParallelism())),
      ),
      cores: availableParallelism(),
      plainStoreMs: median(pairs.map((p) => p.parse.plainStoreMs)),
      rowIdMs: median(pairs.map((p) => p.parse.rowIdMs)),
      parseAndStringifyRatio: median(pairs.map((p) => p.parse.ms / (p.parse.ms + p.parse.stringifyMs))),
      fetcherMs: {
        total: median(fetchers.map((f) => f.ms)),
        huntingCall: median(fetchers.map((f) => f.huntingMs)),
        queueSends: median(fetchers.map((f) => f.sendMs)),
        other: median(fetchers.map((f) => f.ms - f.huntingMs - f.sendMs)),
      },
      emulatorRenderMs: warmUp.ms,
      fetcherPeakRssIncreaseBytes: fetcherPeak,
      parsePeakRssIncreaseBytes: median(pairs.map((p) => p.parse.peakRssIncreaseBytes)),
      memoryRatio: fetcherPeak / first.responseBytes,
    };
  } finally {
    await emulator.close();
  }
}

/** Asks for the bench window once and counts the bytes, without keeping them. */
async function download(url: string, windowStartMs: number): Promise<number> {
  const kql = builtInQueries["alert-evidence"]?.kql ?? "";
  const range = { startMs: windowStartMs, endMs: windowStartMs + windowMs };
  const body = JSON.stringify({ Query: windowedQuery(kql, range), Timespan: windowTimespan(range) });
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body });
  let bytes = 0;
  for await (const chunk of response.body ?? []) bytes += chunk.length;
  return bytes;
}
