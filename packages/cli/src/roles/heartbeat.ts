import { type CounterMetrics, queueNames } from "@xdr-relay/core";
import { fmt } from "../backfill/format.ts";
import type { QueueDepth } from "../wiring/open-queue.ts";
import { queueDeadLetteredMetric } from "../wiring/queue-dead-lettered-metric.ts";

export interface HeartbeatSource {
  readonly metrics: CounterMetrics;
  /** The queues to show, by name; their depth where the backend can count it. */
  readonly queues: readonly string[];
  readonly depth: ((queueName: string) => QueueDepth) | undefined;
  readonly now: () => number;
}

/**
 * Messages this process dead-lettered. Each host counts `<its queueName>MessageDeadLettered`, and
 * there are two: the sink's (`rows`) and the fetcher's, which is `windows` for both window lanes,
 * so a window dead-lettered from `windows-backfill` counts in `windowsMessageDeadLettered`. The
 * queue counts the messages it moved there itself, which no host settled.
 */
export function deadLettered(metrics: CounterMetrics): number {
  const deadLetteredBy = (host: string) => metrics.get(`${host}MessageDeadLettered`);
  return deadLetteredBy(queueNames.windows) + deadLetteredBy(queueNames.rows) + metrics.get(queueDeadLetteredMetric);
}

/**
 * What the dead-letter queues hold, e.g. `rows 12, windows 1`; undefined when they hold nothing.
 * Counted on the queue, not by this process: it includes what the queue itself moved there
 * (`MaxDeliveryCountExceeded`, after deliveries whose locks ran out) and what earlier runs left.
 */
export function deadLettersHeld(depths: readonly (readonly [string, QueueDepth | undefined])[]): string | undefined {
  const held = depths.filter(([, d]) => (d?.deadLettered ?? 0) > 0).map(([q, d]) => `${q} ${fmt(d?.deadLettered ?? 0)}`);
  return held.length === 0 ? undefined : held.join(", ");
}

/**
 * `run`'s line every minute on stdout: what this process did since the last line, its totals, and
 * what is waiting on each queue. A relay running for weeks otherwise says nothing until it stops
 * (logs default to warnings), and "is it still moving?" is an operator's first question.
 */
export class Heartbeat {
  private last = new Map<string, number>();

  constructor(private readonly source: HeartbeatSource) {}

  /** The next line; each call reports the change since the previous one. */
  line(): string {
    const { metrics, queues, depth, now } = this.source;
    const counts: [string, number][] = [
      ["windows fetched", metrics.get("windowsFetched")],
      ["rows sent", metrics.get("rowsSent")],
      ["rows ingested", metrics.get("rowsIngested")],
      ["dead-lettered", deadLettered(metrics)],
    ];
    // Depths first: a read that throws (a busy file) must not move the marks, or the next line
    // would show +0 for what happened meanwhile.
    const depths = queues.map((q) => [q, depth?.(q)] as const);
    // Scheduled messages (re-sweeps due in hours, retries) are not work waiting now: apart, as in `status`.
    const waiting = depths.map(([q, d]) => {
      if (d === undefined) return `${q} ?`;
      return `${q} ${fmt(d.active + d.locked)}${d.scheduled > 0 ? ` (+${fmt(d.scheduled)} scheduled)` : ""}`;
    });
    const parts = counts.map(([name, total]) => `${name} ${fmt(total)} (+${fmt(total - (this.last.get(name) ?? 0))})`);
    for (const [name, total] of counts) this.last.set(name, total);
    const held = deadLettersHeld(depths);
    const line = `${new Date(now()).toISOString()}  ${parts.join("  ")}  on queues: ${waiting.join(", ")}`;
    return held === undefined ? line : `${line}  in dead-letter queues: ${held}`;
  }

  /** Prints a line every `everyMs` until stopped; 0 prints none. The timer never keeps the process alive. */
  start(everyMs: number, print: (line: string) => void): { stop(): void } {
    if (everyMs <= 0) return { stop() {} };
    const timer = setInterval(() => {
      try {
        print(this.line());
      } catch {
        // A depth read on a busy file may fail; the next beat tries again. Never stop a role for it.
      }
    }, everyMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
}
