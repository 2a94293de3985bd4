import { silentLogger } from "@xdr-relay/core";
import { type BackfillRun, cancelBackfillRun, recordBackfillRun } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
// The scheduler package's in-memory store, with the compare-and-swap contract of the real ones.
import { MemoryCheckpointStore } from "../../../scheduler/src/scheduler-fakes.ts";
import { BackfillRunsCache, cancelledWindow } from "./backfill-runs-cache.ts";

const t0 = Date.parse("2026-11-20T00:00:00.000Z");
const hour = 3_600_000;
const tenants = [{ id: "contoso", queries: ["alert-info"] }];
const backfillRun = (id: string, startedAtMs = t0): BackfillRun => ({
  id,
  startedAtMs,
  fromMs: t0,
  toMs: t0 + hour,
  windowMs: hour,
  tenants,
  windows: 1,
});
/** A window message of the recorded range: `run` names its backfill, as windows since cancel do. */
const window = (origin: string, run?: string) => ({
  body: {
    tenant: "contoso",
    query: "alert-info",
    start: new Date(t0).toISOString(),
    end: new Date(t0 + hour).toISOString(),
    origin,
    ...(run && { run }),
  },
  enqueuedTimeUtc: new Date(t0 + 60_000),
});

/** The cancelled backfill whose window the fetcher would drop, as `runFetcher` decides it. */
async function droppedBy(cache: BackfillRunsCache, message: ReturnType<typeof window>): Promise<BackfillRun | undefined> {
  const run = await cache.runOf(message);
  return cancelledWindow(run, message.body) ? run : undefined;
}

describe("BackfillRunsCache", () => {
  it("sees a cancel once its list is 10 s old, before answering for the next window", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, backfillRun("b-1"));
    let now = t0;
    const cache = new BackfillRunsCache(store, silentLogger, () => now);
    expect((await cache.runOf(window("backfill", "b-1")))?.id).toBe("b-1");
    expect(await cache.runOf(window("schedule"))).toBeUndefined(); // the scheduler's own windows are no backfill's

    await cancelBackfillRun(store, "b-1", t0 + 1_000);
    now += 5_000;
    expect(await droppedBy(cache, window("backfill", "b-1"))).toBeUndefined(); // read 5 s ago: not seen yet
    now += 6_000;
    expect((await droppedBy(cache, window("backfill", "b-1")))?.id).toBe("b-1");
  });

  it("drops only windows that name the cancelled run: not a newer run's in its range, nor an unnamed one", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, backfillRun("b-cancelled"));
    await cancelBackfillRun(store, "b-cancelled", t0 + 1_000);
    const cache = new BackfillRunsCache(store, silentLogger, () => t0);
    expect((await droppedBy(cache, window("backfill", "b-cancelled")))?.id).toBe("b-cancelled");
    // Asked for again over the same range after the cancel: the list read above does not know it yet.
    await recordBackfillRun(store, backfillRun("b-again", t0 + 2_000));
    expect(await droppedBy(cache, window("backfill", "b-again"))).toBeUndefined();
    // A window from before windows named their run, and a half of a scheduled window, inside the range.
    expect(await droppedBy(cache, window("backfill"))).toBeUndefined();
    expect(await droppedBy(cache, window("split"))).toBeUndefined();
  });
});
