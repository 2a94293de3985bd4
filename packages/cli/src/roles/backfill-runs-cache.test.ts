import { silentLogger } from "@xdr-relay/core";
import { cancelBackfillRun, recordBackfillRun } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
// The scheduler package's in-memory store, with the compare-and-swap contract of the real ones.
import { MemoryCheckpointStore } from "../../../scheduler/src/scheduler-fakes.ts";
import { BackfillRunsCache } from "./backfill-runs-cache.ts";

const t0 = Date.parse("2026-11-20T00:00:00.000Z");
const hour = 3_600_000;
const tenants = [{ id: "contoso", queries: ["alert-info"] }];
const window = (origin: string) => ({
  body: {
    tenant: "contoso",
    query: "alert-info",
    start: new Date(t0).toISOString(),
    end: new Date(t0 + hour).toISOString(),
    origin,
  },
  enqueuedTimeUtc: new Date(t0 + 60_000),
});

describe("BackfillRunsCache", () => {
  it("finds a window's backfill, and sees it cancelled once its list is 10 s old", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, {
      id: "b-1",
      startedAtMs: t0,
      fromMs: t0,
      toMs: t0 + hour,
      windowMs: hour,
      tenants,
      windows: 1,
    });
    let now = t0;
    const cache = new BackfillRunsCache(store, silentLogger, () => now);
    expect((await cache.runOf(window("backfill")))?.id).toBe("b-1");
    expect(await cache.runOf(window("schedule"))).toBeUndefined(); // the scheduler's own windows are no backfill's

    await cancelBackfillRun(store, "b-1", t0 + 1_000);
    now += 5_000;
    expect((await cache.runOf(window("backfill")))?.cancelledAtMs).toBeUndefined(); // read 5 s ago: still fresh
    now += 6_000;
    await cache.runOf(window("split")); // 11 s: answers from the list, and reads it again meanwhile
    await new Promise((resolve) => setImmediate(resolve));
    expect((await cache.runOf(window("split")))?.cancelledAtMs).toBe(t0 + 1_000);
  });
});
