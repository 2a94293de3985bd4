import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Timing, medians and memory readings shared by every benchmark. Figures are in ms, bytes and rows/s. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `trial` `runs` times, one after another (never in parallel: the machine has two cores). */
export async function repeat<T>(runs: number, trial: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) results.push(await trial(run));
  return results;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** A full garbage collection, so a "before" RSS reading is not inflated by the previous step's garbage. */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** The process's RSS high-water mark (kernel-kept, so it catches spikes inside synchronous work). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Samples RSS on a timer; `stop()` returns the samples (bytes), one per `everyMs`. */
export function sampleRss(everyMs: number): { stop(): number[] } {
  const samples = [process.memoryUsage.rss()];
  const timer = setInterval(() => samples.push(process.memoryUsage.rss()), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(process.memoryUsage.rss());
      return samples;
    },
  };
}

export const mb = (bytes: number) => bytes / 1_048_576;
