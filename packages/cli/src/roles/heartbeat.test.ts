import { CounterMetrics } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { queueDeadLetteredMetric } from "../wiring/queue-dead-lettered-metric.ts";
import { Heartbeat } from "./heartbeat.ts";

describe("run's heartbeat line", () => {
  it("shows totals, the change since the last line, what waits on each queue, and what its dead-letter queue holds", () => {
    const metrics = new CounterMetrics();
    let rowsWaiting = 7;
    const beat = new Heartbeat({
      metrics,
      queues: ["windows", "rows"],
      depth: (q) => ({
        active: q === "rows" ? rowsWaiting : 1,
        scheduled: 2,
        locked: 0,
        deadLettered: q === "rows" ? 9 : 0,
        duplicatesDropped: 0,
      }),
      now: () => Date.parse("2026-11-26T10:00:00Z"),
    });
    metrics.increment("windowsFetched", 3);
    metrics.increment("rowsSent", 12_000);
    metrics.increment("rowsIngested", 11_500);
    metrics.increment("rowsMessageDeadLettered", 2);
    expect(beat.line()).toBe(
      "2026-11-26T10:00:00.000Z  windows fetched 3 (+3)  rows sent 12,000 (+12,000)  rows ingested 11,500 (+11,500)  " +
        "dead-lettered 2 (+2)  on queues: windows 1 (+2 scheduled), rows 7 (+2 scheduled)  in dead-letter queues: rows 9",
    );
    metrics.increment("rowsIngested", 500);
    metrics.increment("windowsMessageDeadLettered");
    // One the queue moved there itself (MaxDeliveryCountExceeded): no host settled it, it counts too.
    metrics.increment(queueDeadLetteredMetric);
    rowsWaiting = 0;
    expect(beat.line()).toBe(
      "2026-11-26T10:00:00.000Z  windows fetched 3 (+0)  rows sent 12,000 (+0)  rows ingested 12,000 (+500)  " +
        "dead-lettered 4 (+2)  on queues: windows 1 (+2 scheduled), rows 0 (+2 scheduled)  in dead-letter queues: rows 9",
    );
  });

  it("does not lose what happened during a beat whose depth read failed", () => {
    const metrics = new CounterMetrics();
    let busy = false;
    const beat = new Heartbeat({
      metrics,
      queues: ["rows"],
      depth: () => {
        if (busy) throw new Error("SQLITE_BUSY");
        return { active: 0, scheduled: 0, locked: 0, deadLettered: 0, duplicatesDropped: 0 };
      },
      now: () => 0,
    });
    beat.line();
    metrics.increment("rowsIngested", 500);
    busy = true;
    expect(() => beat.line()).toThrow("SQLITE_BUSY");
    busy = false;
    expect(beat.line()).toContain("rows ingested 500 (+500)");
  });

  it("prints on its interval and keeps going when a depth read fails once", async () => {
    let reads = 0;
    const beat = new Heartbeat({
      metrics: new CounterMetrics(),
      queues: ["rows"],
      depth: () => {
        if (reads++ === 0) throw new Error("SQLITE_BUSY");
        return { active: 1, scheduled: 0, locked: 0, deadLettered: 0, duplicatesDropped: 0 };
      },
      now: Date.now,
    });
    const printed: string[] = [];
    const running = beat.start(20, (line) => printed.push(line));
    await new Promise((r) => setTimeout(r, 150));
    running.stop();
    const count = printed.length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(printed.every((line) => line.endsWith("on queues: rows 1"))).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(printed.length).toBe(count); // stopped means stopped
  });
});
