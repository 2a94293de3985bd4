import type { CounterMetrics } from "@xdr-relay/core";

/**
 * Prints how far the pipeline got, once a second: in place on a terminal, as plain lines (every
 * five seconds) when the output is a file or a CI log. The returned stop prints the last line once.
 */
export function startProgress(args: {
  metrics: CounterMetrics;
  totalWindows: () => number;
  ingested: () => number;
  startedMs: number;
}): () => void {
  const tty = process.stdout.isTTY === true;
  let last = 0;
  const line = () => {
    const m = args.metrics;
    const seconds = (performance.now() - args.startedMs) / 1000;
    const ingested = args.ingested();
    return `[${seconds.toFixed(1).padStart(5)}s] windows ${m.get("windowsMessageCompleted")}/${args.totalWindows()} · rows sent ${fmt(m.get("rowsSent"))} · ingested ${fmt(ingested)} · ${fmt(Math.round(ingested / Math.max(seconds, 0.001)))} rows/s`;
  };
  const timer = setInterval(() => {
    if (tty) process.stdout.write(`\r${line()}`);
    else if (performance.now() - last >= 5_000) {
      last = performance.now();
      console.log(line());
    }
  }, 1_000);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (tty) process.stdout.write(`\r${line()}\n`);
    else console.log(line());
  };
}

export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
