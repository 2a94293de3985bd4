import { type Clock, type HuntingApi, RelayConfig, systemClock } from "@xdr-relay/core";
import { startHuntingEmulator } from "@xdr-relay/emulators";
import { describe, expect, it } from "vitest";
import { runRoles } from "../../packages/cli/src/roles/run-roles.ts";
import { scheduleFreshness } from "../../packages/cli/src/status/schedule-freshness.ts";
import { jsonLogger } from "../../packages/cli/src/wiring/logger.ts";
import { buildPipeline, type Pipeline } from "../../packages/cli/src/wiring/pipeline.ts";
import { tempDirs } from "./temp-dir.ts";

const minuteMs = 60_000;
const tempDir = tempDirs();

/**
 * A cron `run --until-idle` whose drain outlasts a window: the relay's clock jumps 20 minutes
 * during its first hunting call, as a long fetch would take. The run must not end with the windows
 * that came due meanwhile left for the next run, which `status --check` reports as BEHIND.
 */
describe("run --until-idle with the scheduler", () => {
  it("ends with every pass current, taking the windows that came due while it drained", async () => {
    const clock = { aheadMs: 0, now: () => Date.now() + clock.aheadMs };
    await using hunting = await startHuntingEmulator({ now: clock.now, callsPerMinute: Number.POSITIVE_INFINITY });
    const config = RelayConfig.parse({
      dataDir: tempDir("xdr-until-idle-current-"),
      auth: "none",
      hunting: { url: hunting.url },
      ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-unused" },
      tenants: [{ id: "contoso", queries: ["alert-info"] }],
    });
    const base = buildPipeline(
      config,
      jsonLogger("error", () => {}),
    );
    const windowsAsked: string[] = [];
    const slowFirstCall: HuntingApi = {
      runHuntingQuery: async (request) => {
        windowsAsked.push(request.timespan);
        if (windowsAsked.length === 1) clock.aheadMs += 20 * minuteMs;
        return base.hunting.runHuntingQuery(request);
      },
    };
    const relayClock: Clock = { now: clock.now, sleep: systemClock.sleep };
    const pipeline: Pipeline = { ...base, clock: relayClock, hunting: slowFirstCall };
    try {
      await runRoles(pipeline, {
        roles: ["scheduler", "fetcher"],
        untilIdle: true,
        fetchConcurrency: 1,
        signal: new AbortController().signal,
      });
      const passes = await scheduleFreshness(config, base.store, clock.now());
      expect(passes.map((p) => [p.sweep, p.state])).toEqual([
        [0, "current"],
        [1, "current"],
        [2, "current"],
      ]);
      // The first round's window, then the 20 minutes (four 5-minute windows) that came due after it.
      expect(windowsAsked).toHaveLength(5);
      expect(new Set(windowsAsked).size).toBe(5);
    } finally {
      await base.close();
    }
  }, 60_000);
});
