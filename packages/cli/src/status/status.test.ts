import {
  ConfigError,
  ConfigFaultRecord,
  CounterMetrics,
  fetcherFaultKey,
  RelayConfig,
  silentLogger,
  sinkFaultKey,
} from "@xdr-relay/core";
import { TenantFaultGate } from "@xdr-relay/fetcher";
import { planTick } from "@xdr-relay/scheduler";
import { ConfigFaultPause } from "@xdr-relay/sink";
import { describe, expect, it } from "vitest";
// The scheduler package's in-memory stand-ins, with the compare-and-swap contract of the real store.
import { MemoryCheckpointStore, RecordingSender } from "../../../scheduler/src/scheduler-fakes.ts";
import { roleFaults } from "./role-faults.ts";
import { scheduleFreshness } from "./schedule-freshness.ts";
import { renderStatus, type StatusReport, statusProblems } from "./status-report.ts";

const minute = 60_000;
const hour = 60 * minute;
const t0 = Date.parse("2026-11-20T12:00:00.000Z");
const config = RelayConfig.parse({
  ingestion: { endpoint: "https://dce.example", dcrId: "dcr-1" },
  tenants: [{ id: "contoso.onmicrosoft.com", queries: ["alert-info"] }],
  // 5-minute windows, 10 minutes' lag, a tick a minute; re-sweeps 1 h and 24 h after.
  schedule: { startAt: new Date(t0 - 3 * hour).toISOString() },
});

/** The real scheduler's tick, so the checkpoints read are the ones it writes. */
async function tick(store: MemoryCheckpointStore, nowMs: number) {
  const s = config.schedule;
  await planTick(
    {
      store,
      windows: new RecordingSender(),
      windowMs: s.windowMs,
      lagMs: s.lagMs,
      maxWindowsPerTick: s.maxWindowsPerTick,
      startAtMs: Date.parse(s.startAt ?? ""),
      resweepOffsetsMs: s.resweepOffsetsMs,
      logger: silentLogger,
      metrics: new CounterMetrics(),
    },
    "contoso.onmicrosoft.com",
    "alert-info",
    nowMs,
  );
}

const report = (passes: StatusReport["passes"], deadLettered = 0): StatusReport => ({
  nowMs: t0,
  queues: [
    {
      name: "rows",
      depth: { active: 5, scheduled: 0, locked: 0, deadLettered, duplicatesDropped: 0 },
      oldestEnqueuedMs: t0 - minute,
    },
  ],
  passes,
  backfillRuns: 0,
  stoppedBackfills: [],
  faults: [],
});

describe("status: is the scheduler keeping up?", () => {
  it("says not started before the scheduler's first tick, and that this needs an operator", async () => {
    const passes = await scheduleFreshness(config, new MemoryCheckpointStore(), t0);
    expect(passes.map((p) => [p.sweep, p.state])).toEqual([
      [0, "notStarted"],
      [1, "notStarted"],
      [2, "notStarted"],
    ]);
    expect(statusProblems(report(passes))).toEqual([
      "the scheduler has not enqueued anything yet: start `xdr-relay run` (or `--role scheduler`)",
    ]);
  });

  it("is current right after a tick, with a re-sweep not due yet waiting from the origin", async () => {
    const store = new MemoryCheckpointStore();
    await tick(store, t0);
    const passes = await scheduleFreshness(config, store, t0);
    const [first, hourLater, dayLater] = passes;
    // The last whole window that ended 10 minutes ago: [11:45, 11:50).
    expect(first).toMatchObject({ state: "current", enqueuedUntilMs: t0 - 10 * minute, overdueMs: 0 });
    expect(hourLater).toMatchObject({ state: "current", enqueuedUntilMs: t0 - 70 * minute });
    // Nothing is 24 h old yet: the pass starts at the origin, 3 h ago, its first window due in 21 h 15 min (window + lag + 24 h).
    expect(dayLater).toMatchObject({ state: "current", enqueuedUntilMs: undefined, nextDueAtMs: t0 + 21 * hour + 15 * minute });
    expect(statusProblems(report(passes))).toEqual([]);
    expect(renderStatus(report(passes), [], config).join("\n")).toContain("first window due in 21h 15m");
  });

  it("tells a scheduler that stopped from one between ticks", async () => {
    const store = new MemoryCheckpointStore();
    await tick(store, t0);
    // The next window [11:50, 11:55) is due at 12:05; one tick later it may still be waiting.
    const between = await scheduleFreshness(config, store, t0 + 6 * minute);
    expect(between[0]).toMatchObject({ state: "current", overdueMs: minute });

    const stopped = await scheduleFreshness(config, store, t0 + 2 * hour);
    expect(stopped[0]).toMatchObject({ state: "behind", overdueMs: 2 * hour - 5 * minute });
    const problems = statusProblems(report(stopped));
    expect(problems[0]).toBe(
      "contoso.onmicrosoft.com alert-info (first pass) has had a window due for 1h 55m and not enqueued: is the scheduler running, and can it write to the data directory (its log says why it fails)?",
    );
    expect(renderStatus(report(stopped), problems, config).join("\n")).toContain("BEHIND: oldest window due 1h 55m ago");

    await tick(store, t0 + 2 * hour); // the scheduler is back and catches up
    expect((await scheduleFreshness(config, store, t0 + 2 * hour)).map((p) => p.state)).toEqual([
      "current",
      "current",
      "current",
    ]);
  });

  it("points at the dead letters, queue by queue", async () => {
    const store = new MemoryCheckpointStore();
    await tick(store, t0);
    const passes = await scheduleFreshness(config, store, t0);
    const problems = statusProblems(report(passes, 3));
    expect(problems).toEqual(["3 dead letter(s) on rows: see `xdr-relay dlq list --queue rows`"]);
    const lines = renderStatus(report(passes, 3), problems, config);
    expect(lines[1]).toBe("  rows  waiting 5  scheduled 0  in work 0  dead letters 3  duplicates dropped 0  oldest due 1m ago");
    expect(lines.at(-2)).toBe("needs attention:");
  });

  it("asks for a backfill whose enqueue stopped to be run again", async () => {
    const store = new MemoryCheckpointStore();
    await tick(store, t0);
    const passes = await scheduleFreshness(config, store, t0);
    const tenants = ["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com", "northwind", "tailspin.onmicrosoft.com"].map(
      (id) => ({ id, queries: ["alert-info"] }),
    );
    const stopped = { id: "b-1", fromMs: t0 - 2 * hour, toMs: t0 - hour, sent: 4, windows: 12, tenants };
    expect(statusProblems({ ...report(passes), stoppedBackfills: [stopped] })).toEqual([
      "backfill b-1 stopped enqueueing after 4 of 12 windows: run the same backfill again " +
        "(`xdr-relay backfill --from 2026-11-20T10:00:00.000Z --to 2026-11-20T11:00:00.000Z`, " +
        "configured for the same tenants and queries: contoso.onmicrosoft.com (alert-info); fabrikam.onmicrosoft.com (alert-info); northwind (alert-info); and 1 more) to send the rest",
    ]);
  });

  it("calls rows stuck once the oldest due one has waited 15 minutes: a paused or stopped sink", async () => {
    const store = new MemoryCheckpointStore();
    await tick(store, t0);
    const passes = await scheduleFreshness(config, store, t0);
    const waiting = (minutes: number): StatusReport => {
      const r = report(passes);
      return { ...r, queues: r.queues.map((q) => ({ ...q, oldestEnqueuedMs: t0 - minutes * minute })) };
    };
    expect(statusProblems(waiting(14))).toEqual([]);
    expect(statusProblems(waiting(20))).toEqual([
      "rows: the oldest due message has waited 20m: is the sink running (`xdr-relay run`)? Its log says why it is not " +
        "taking them (an `ingestionConfigFault` error)",
    ]);
  });
});

describe("status: is a role paused on a configuration fault?", () => {
  it("says so once the sink has been paused longer than a message may wait, and forgets it once cleared", async () => {
    const store = new MemoryCheckpointStore();
    let now = t0 - 20 * minute;
    const record = new ConfigFaultRecord(store, sinkFaultKey, silentLogger, () => now);
    const pause = new ConfigFaultPause(silentLogger, new CounterMetrics(), minute, record);
    const fault = { status: 403, dcrId: "dcr-1", stream: "Custom-XdrAlertInfo", message: "forbidden" };
    // The first failed upload, then a failed probe a minute, the last one a minute ago.
    for (; now <= t0 - minute; now += minute) pause.report(fault);
    await record.settled();

    const early = await roleFaults(config, store, t0 - 10 * minute);
    expect(statusProblems({ ...report([]), nowMs: t0 - 10 * minute, faults: early })).not.toContainEqual(
      expect.stringContaining("paused"),
    );
    const faults = await roleFaults(config, store, t0);
    expect(faults).toEqual([expect.objectContaining({ role: "sink", sinceMs: t0 - 20 * minute })]);
    const problems = statusProblems({ ...report([]), faults });
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^the sink has been paused on a configuration fault for 20m: uploads to Custom-XdrAlertInfo \(rule dcr-1\) fail with HTTP 403: .*Monitoring Metrics Publisher/,
      ),
    );
    expect(renderStatus({ ...report([]), faults }, problems, config).join("\n")).toContain(
      "paused: the sink, on a configuration fault since 2026-11-20T11:40:00.000Z",
    );
    // Its process stopped while paused: after 5 minutes unseen, the record says nothing of now.
    expect(await roleFaults(config, store, t0 + 5 * minute)).toEqual([]);

    pause.cleared();
    await record.settled();
    expect(await roleFaults(config, store, t0)).toEqual([]);
  });

  it("forgets a sink fault an earlier process left open once a new process's upload goes through", async () => {
    const store = new MemoryCheckpointStore();
    const now = t0 - 20 * minute;
    const fault = { status: 403, dcrId: "dcr-1", stream: "Custom-XdrAlertInfo", message: "forbidden" };
    // The first process paused on the fault and was stopped (to fix the role, say) while paused.
    const first = new ConfigFaultRecord(store, sinkFaultKey, silentLogger, () => now);
    new ConfigFaultPause(silentLogger, new CounterMetrics(), minute, first).report(fault);
    await first.settled();
    expect(await roleFaults(config, store, now + minute)).toEqual([expect.objectContaining({ role: "sink" })]);

    // The next one starts healthy: it never saw the fault, yet its first accepted upload ends it.
    const next = new ConfigFaultRecord(store, sinkFaultKey, silentLogger, () => now + minute);
    const pause = new ConfigFaultPause(silentLogger, new CounterMetrics(), minute, next);
    pause.cleared();
    pause.cleared();
    await next.settled();
    expect(await roleFaults(config, store, now + minute)).toEqual([]);
  });

  it("says which tenant's fetching is paused, and why", async () => {
    const store = new MemoryCheckpointStore();
    const now = t0 - 16 * minute;
    const record = new ConfigFaultRecord(store, fetcherFaultKey("contoso.onmicrosoft.com"), silentLogger, () => now);
    const gate = new TenantFaultGate(
      silentLogger,
      new CounterMetrics(),
      () => now,
      minute,
      () => record,
    );
    gate.answered("contoso.onmicrosoft.com", new ConfigError("Graph answered 403", { status: 403 }));
    await record.settled();
    const faults = await roleFaults(config, store, t0 - 14 * minute);
    expect(statusProblems({ ...report([]), nowMs: t0, faults })).toContainEqual(
      expect.stringMatching(
        /^the fetcher for contoso.onmicrosoft.com has been paused on a configuration fault for 16m: hunting calls for contoso.onmicrosoft.com fail .*ThreatHunting\.Read\.All/,
      ),
    );
  });
});
