import { startHuntingEmulator } from "@xdr-relay/emulators";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-process.ts";
import { CallLog } from "./fetch-chaos/call-log.ts";
import { chaosPlan, hourMs } from "./fetch-chaos/chaos-tenant.ts";
import { type ExpectedRow, expectedRows } from "./fetch-chaos/expected-rows.ts";
import { openingFaults, randomFaults, restartStorm, splittingFaults, throttlingFaults } from "./fetch-chaos/fault-plan.ts";
import { windowHalfSent } from "./fetch-chaos/kill-point.ts";
import { backfill, logEvents, queueFile, type RelaySettings, startFetcher, writeRelayConfig } from "./fetch-chaos/relay-cli.ts";
import { RowsOnQueue } from "./fetch-chaos/rows-on-queue.ts";
import { tempDirs } from "./temp-dir.ts";

/**
 * Issue 3's proof, end to end: real `xdr-relay` processes against the hunting emulator. A two-day
 * backfill with a burst hour of 140,000+ rows (its AlertEvidence window passes the 100,000-row cap),
 * rows exactly on window edges, late rows, 429 storms, result-size 400s, 504s, dropped connections,
 * a SIGKILL of the fetcher half-way through a window, and a re-sweep of the tail half a day later
 * under a call budget that is actually spent. The rows queue must then hold every row the emulator
 * holds for the range exactly once, and nothing else.
 */
const tenant = "contoso";
const queries = ["alert-info", "alert-evidence"];
const tempDir = tempDirs();

describe("fetching a multi-day backfill through chaos", () => {
  it("puts every row of the range on the rows queue exactly once, and nothing outside it", async () => {
    const dir = tempDir("xdr-fetch-chaos-");
    const startedMs = Date.now();
    const plan = chaosPlan(tenant, Date.now());
    const range = { startMs: plan.fromMs, endMs: plan.toMs };
    // The emulated Defender's clock, moved forward for the re-sweep; the relay keeps the real one.
    const defender = { aheadMs: 0, now: () => Date.now() + defender.aheadMs };
    const log = new CallLog();
    await using hunting = await startHuntingEmulator({
      tenants: [plan.tenant],
      now: defender.now,
      callsPerMinute: Number.POSITIVE_INFINITY,
      failRate: 0.02,
      failSeed: 3,
      randomFaults,
      onCall: log.onCall,
    });
    const settings: RelaySettings = {
      huntingUrl: hunting.tenantUrlTemplate,
      tenants: [{ id: tenant, queries }],
      windowMs: plan.windowMs,
      // Raised for speed; the re-sweep below runs under a budget it must wait for.
      callsPerMinute: 10_000,
      callsPerHour: 100_000,
      // Shorter than a 50,000-row window takes on a loaded 2-core machine: the host must renew the
      // lock while it fetches (else a second fetch takes the window mid-way), and the window the
      // kill leaves locked comes back 10 s later.
      lockDurationMs: 10_000,
      // The backfill schedules its windows' re-sweeps; the relay keeps the real clock, so they stay
      // scheduled through the test. +3 days puts every window's due time a day or more ahead (at
      // +24 h one could fall due mid-test, by the minute of the hour): 96 exactly, none fetched.
      resweepOffsetsMs: [hourMs, 72 * hourMs],
    };
    const fast = writeRelayConfig(dir, "fast.json", settings);
    const visibleAtStart = expectedRows(plan.tenant, queries, range, defender.now());

    // 1. Backfill two days, fetch through the opening faults, SIGKILL the fetcher mid-window.
    const enqueued = await backfill(fast, plan.fromMs, plan.toMs);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    expect(enqueued.stdout).toContain("backfill enqueued 96 windows"); // 48 hours × 2 queries
    expect(enqueued.stdout).toContain("scheduled 96 late-arrival re-sweeps");
    hunting.faults.push(...openingFaults);
    const rows = RowsOnQueue.open(queueFile(dir));
    const first = startFetcher(fast, { untilIdle: true });
    const victim = await windowHalfSent({ rows, expected: visibleAtStart, minRows: 20_000, timeoutMs: 120_000 });
    first.child.kill("SIGKILL");
    expect((await first.result).signal).toBe("SIGKILL");
    await rows.refresh();
    const sentBeforeKill = rows.byWindow.get(victim.window) ?? 0;
    expect(sentBeforeKill, `${victim.window} was half sent`).toBeGreaterThan(0);
    expect(sentBeforeKill).toBeLessThan(victim.total);

    // 2. Restart until idle, through a second storm: the killed window comes back when its lock expires.
    hunting.faults.push(...restartStorm);
    const second = await runCli(["run", "--role", "fetcher", "--until-idle", "--config", fast], {}, 240_000);
    expect(second.code, second.stderr).toBe(0);
    await rows.refresh();
    expect(rows.byWindow.get(victim.window)).toBe(victim.total);
    // Late rows may surface while the test runs; half a day on, every row of the range has.
    const eventually = expectedRows(plan.tenant, queries, range, defender.now() + 12 * hourMs);
    expectEachOnce(rows, eventually);
    expect([...visibleAtStart.keys()].filter((id) => !rows.byRowId.has(id))).toEqual([]);
    const lateRows = [...eventually.keys()].filter((id) => !rows.byRowId.has(id));
    expect(lateRows.length, "rows only a re-sweep can find").toBeGreaterThan(20);

    // 3. Half a day later every late row is visible: re-sweep the last 12 hours under a budget of 16 calls a minute.
    defender.aheadMs = 12 * hourMs;
    const tight = writeRelayConfig(dir, "tight.json", { ...settings, callsPerMinute: 16 });
    // The first backfill asked for these windows already: asking again is the point, so --again.
    const resweep = await backfill(tight, plan.toMs - 12 * hourMs, plan.toMs, ["--again"]);
    expect(resweep.stdout).toMatch(/ {4}b-\S+ \(.+\): 24 of them/);
    expect(resweep.stdout).toContain("backfill enqueued 24 windows");
    expect(resweep.stdout).toContain("scheduled 24 late-arrival re-sweeps"); // the same ids again: dropped
    const mark = log.calls.length;
    const third = await runCli(
      ["run", "--role", "fetcher", "--until-idle", "--log-level", "debug", "--config", tight],
      {},
      240_000,
    );
    expect(third.code, third.stderr).toBe(0);
    expect(logEvents(third.stderr, "windowDeferred").length, "the budget was spent and windows waited").toBeGreaterThan(0);
    expect(CallLog.busiestSpan(log.since(mark), 55_000), "calls in any 55 s").toBeLessThanOrEqual(16);

    // The promise: exactly the rows the emulator holds for the range, each once.
    await rows.refresh();
    const expected = expectedRows(plan.tenant, queries, range, defender.now());
    expectEachOnce(rows, expected);
    expect(rows.byRowId.size).toBe(expected.size);
    for (const id of lateRows) expect(rows.byRowId.has(id)).toBe(true);
    expect(rows.mismatchedIds).toEqual([]);
    const onEdges = [...expected.values()].filter((r) => r.timestampMs % (15 * 60_000) === 0);
    expect(onEdges.length).toBeGreaterThan(48 * 4 * 2); // a row on every quarter hour, in both tables
    expect(plan.tenant.count("AlertInfo", { startMs: plan.toMs, endMs: plan.toMs + 1 }, defender.now())).toBe(1); // and one on `to`, outside

    // What the run went through, from the emulator's side.
    const calls = log.calls;
    const capped = calls.filter((c) => c.status === 200 && c.rows === 100_000);
    expect(capped.length, "the 100,000-row cap was hit").toBeGreaterThan(0);
    const halves = new Set(calls.filter((c) => c.endMs - c.startMs < plan.windowMs).map((c) => `${c.query}|${c.startMs}`));
    expect(halves.size).toBeGreaterThanOrEqual(2 * (1 + splittingFaults));
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(throttlingFaults);
    expect(hunting.faults.pending).toBe(0);
    await rows.close();

    const queue = new EmbeddedQueueClient({ path: queueFile(dir) });
    try {
      // Nothing left but the first backfill's re-sweeps, each once: the tail's copies were dropped.
      expect(queue.stats("windows")).toMatchObject({ active: 0, scheduled: 96, locked: 0, deadLettered: 0 });
      expect(queue.stats("windows").duplicatesDropped).toBeGreaterThanOrEqual(24);
      // The backfills' own windows, on their lane: all fetched.
      expect(queue.stats("windows-backfill")).toMatchObject({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });
      expect(queue.stats("rows").deadLettered).toBe(0);
      expect(queue.stats("rows").duplicatesDropped, "re-sends after the kill and the re-sweep were dropped").toBeGreaterThan(0);
    } finally {
      await queue.close();
    }
    console.info(
      `fetch-chaos: ${Math.round((Date.now() - startedMs) / 1000)} s, ${expected.size} rows (${lateRows.length} late), ${calls.length} calls, ${capped.length} capped, ` +
        `${halves.size} split halves, ${calls.filter((c) => c.status === 429).length} 429s, ${hunting.stats.faulted} faults, ` +
        `killed at ${sentBeforeKill}/${victim.total} rows of ${victim.window}`,
    );
  }, 420_000);
});

/** Every row on the queue is one the emulator holds for the range (so none outside it), and none is there twice. */
function expectEachOnce(rows: RowsOnQueue, expected: ReadonlyMap<string, ExpectedRow>): void {
  const unexpected = [...rows.byRowId.keys()].filter((id) => !expected.has(id));
  expect(unexpected.slice(0, 5), `${unexpected.length} rows that the range does not hold`).toEqual([]);
  const twice = [...rows.byRowId].filter(([, n]) => n > 1);
  expect(twice.slice(0, 5), `${twice.length} rows on the queue more than once`).toEqual([]);
}
