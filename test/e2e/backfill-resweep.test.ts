import { join } from "node:path";
import { alignDown, type Clock, RelayConfig, systemClock } from "@xdr-relay/core";
import { SyntheticTenant, startHuntingEmulator } from "@xdr-relay/emulators";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { enqueueBackfill } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
import { runRoles } from "../../packages/cli/src/roles/run-roles.ts";
import { jsonLogger } from "../../packages/cli/src/wiring/logger.ts";
import { buildPipeline, type Pipeline } from "../../packages/cli/src/wiring/pipeline.ts";
import { expectedRows } from "./fetch-chaos/expected-rows.ts";
import { RowsOnQueue } from "./fetch-chaos/rows-on-queue.ts";
import { tempDirs } from "./temp-dir.ts";

const hourMs = 3_600_000;
const tenantId = "contoso";
const queries = ["alert-info", "alert-evidence"];
const tempDir = tempDirs();

/**
 * A backfill of the last 6 hours, fetched at once, then a day later: its windows' scheduled
 * re-sweeps (not a second backfill, not the scheduler) find the rows that arrived late, and only
 * those land. The queue and Defender share a clock the test moves forward; the relay's code is
 * the real one, in process.
 */
describe("a backfill's scheduled late-arrival re-sweeps", () => {
  it("catch the rows of backfilled windows that arrived after the backfill, each once", async () => {
    const dir = tempDir("xdr-backfill-resweep-");
    // Half past the hour, whatever the time of day: which windows still have their +1 h re-sweep
    // to come depends on the minute (before lag past the hour, the last two windows would have).
    const clock = { aheadMs: 0, now: () => Date.now() + clock.aheadMs };
    clock.aheadMs = alignDown(Date.now(), hourMs) + hourMs / 2 - Date.now();
    const startMs = clock.now();
    const toMs = alignDown(startMs, hourMs);
    const fromMs = toMs - 6 * hourMs;
    const tenant = new SyntheticTenant({
      id: tenantId,
      seed: 7,
      startMs: fromMs - hourMs,
      endMs: startMs,
      alertsPerHour: 40,
      late: { fraction: 0.15, minDelayMs: 2 * hourMs, maxDelayMs: 20 * hourMs },
    });
    await using hunting = await startHuntingEmulator({
      tenants: [tenant],
      now: clock.now,
      callsPerMinute: Number.POSITIVE_INFINITY,
    });
    const config = RelayConfig.parse({
      dataDir: join(dir, "data"),
      auth: "none",
      hunting: { url: hunting.tenantUrlTemplate, callsPerMinute: 10_000, callsPerHour: 100_000 },
      ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-unused" },
      schedule: { windowMs: hourMs },
      tenants: [{ id: tenantId, queries }],
    });
    // Remembers ids for 7 days (the config's default, as `xdr-relay run` opens it): a re-sweep a
    // day later must still find its rows' ids there.
    const queue = new EmbeddedQueueClient({
      path: join(dir, "queue.sqlite"),
      clock,
      duplicateDetectionHistoryMs: config.queue.duplicateDetectionHistoryMs,
    });
    const base = buildPipeline(
      config,
      jsonLogger("error", () => {}),
    );
    const relayClock: Clock = { now: clock.now, sleep: systemClock.sleep };
    const pipeline: Pipeline = {
      ...base,
      clock: relayClock,
      queue: {
        client: queue,
        depth: (name) => queue.stats(name),
        peek: (name, options) => queue.peekMessages(name, options),
      },
    };
    const rows = new RowsOnQueue(queue);
    try {
      const fetchUntilIdle = () =>
        runRoles(pipeline, { roles: ["fetcher"], untilIdle: true, fetchConcurrency: 2, signal: new AbortController().signal });
      const backfill = () =>
        enqueueBackfill({
          request: {
            tenant: tenantId,
            queries,
            fromMs,
            toMs,
            windowMs: hourMs,
            nowMs: clock.now(),
            resweeps: { lagMs: config.schedule.lagMs, offsetsMs: config.schedule.resweepOffsetsMs },
          },
          lanes: { backfill: queue.createSender("windows-backfill"), live: queue.createSender("windows") },
          logger: pipeline.logger,
        });

      // Six 1-hour windows per query. All get their +24 h re-sweep; the last (ended 30 min ago, so
      // due in 40) its +1 h one too. Asked for twice (an operator's second try): the re-sweeps collapse.
      expect(await backfill()).toEqual({ windows: 12, resweeps: 14 });
      expect(await backfill()).toEqual({ windows: 12, resweeps: 14 });
      // The first passes on the backfill lane, the re-sweeps (the scheduler's passes) on the live one.
      expect(queue.stats("windows-backfill")).toMatchObject({ active: 24, scheduled: 0 });
      expect(queue.stats("windows")).toMatchObject({ active: 0, scheduled: 14, duplicatesDropped: 14 });

      // Fetched now; `--until-idle` ends with the re-sweeps still scheduled, as it would with the scheduler's.
      await fetchUntilIdle();
      expect(queue.stats("windows-backfill")).toMatchObject({ active: 0, locked: 0, scheduled: 0, deadLettered: 0 });
      expect(queue.stats("windows")).toMatchObject({ active: 0, locked: 0, scheduled: 14, deadLettered: 0 });
      await rows.refresh();
      const range = { startMs: fromMs, endMs: toMs };
      const late = [...expectedRows(tenant, queries, range, clock.now() + 25 * hourMs).keys()].filter(
        (id) => !rows.byRowId.has(id),
      );
      expect(late.length, "rows that arrive after the backfill").toBeGreaterThan(10);

      // A day and an hour later every re-sweep is due, and every late row has arrived.
      clock.aheadMs += 25 * hourMs;
      const callsBefore = hunting.stats.calls;
      await fetchUntilIdle();
      expect(hunting.stats.calls - callsBefore, "one call per re-sweep").toBe(14);
      expect(queue.stats("windows")).toMatchObject({ active: 0, locked: 0, scheduled: 0, deadLettered: 0 });
      await rows.refresh();
      const expected = expectedRows(tenant, queries, range, clock.now());
      expect([...rows.byRowId.keys()].filter((id) => !expected.has(id))).toEqual([]);
      expect([...rows.byRowId].filter(([, n]) => n > 1)).toEqual([]);
      expect(rows.byRowId.size).toBe(expected.size);
      for (const id of late) expect(rows.byRowId.has(id)).toBe(true);
      expect(queue.stats("rows").duplicatesDropped, "rows the re-sweeps found again").toBeGreaterThan(0);
    } finally {
      await base.close();
      await queue.close();
    }
  }, 60_000);
});
