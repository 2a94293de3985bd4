/** Time, so tests and the demo can run a simulated day in seconds. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type LogFields = Readonly<Record<string, unknown>>;

/** Structured logs: an event name (`<noun><pastVerb>`, e.g. `windowSplit`) and fields. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Counters named `<noun><pastVerb>` (`rowsIngested`, `windowsEnqueued`). */
export interface Metrics {
  increment(name: string, by?: number, tags?: Readonly<Record<string, string>>): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** In-memory counters: what the demo prints and what tests assert on. */
export class CounterMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  increment(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }
  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}
