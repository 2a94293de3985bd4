import { silentLogger } from "@xdr-relay/core";
import { type FetchDeps, TenantCallBudget } from "@xdr-relay/fetcher";
import { recordBackfillRun } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
// The scheduler package's in-memory store, with the compare-and-swap contract of the real ones.
import { MemoryCheckpointStore } from "../../../scheduler/src/scheduler-fakes.ts";
import { BackfillRunsCache } from "./backfill-runs-cache.ts";
import { BackfillTallyTap } from "./backfill-tally-tap.ts";

const t0 = Date.parse("2026-11-20T00:00:00.000Z");
const hour = 3_600_000;

describe("BackfillTallyTap", () => {
  it("keeps the live reserve on a recorded backfill's windows: the lane reaches the budget", async () => {
    const store = new MemoryCheckpointStore();
    const startedAtMs = Date.now() - 1_000;
    const tenants = [{ id: "contoso", queries: ["alert-info"] }];
    await recordBackfillRun(store, { id: "b-1", startedAtMs, fromMs: t0, toMs: t0 + hour, windowMs: hour, tenants, windows: 1 });
    const budget = new TenantCallBudget(
      () => ({ callsPerMinute: 10, callsPerHour: 1_000 }),
      () => 0,
    );
    const deps = { callBudget: budget } as unknown as FetchDeps;
    const window = {
      tenant: "contoso",
      query: "alert-info",
      start: new Date(t0).toISOString(),
      end: new Date(t0 + hour).toISOString(),
      origin: "backfill",
    };
    const run = await new BackfillRunsCache(store, silentLogger).runOf({ body: window, enqueuedTimeUtc: new Date() });
    const tapped = new BackfillTallyTap(store, silentLogger).depsFor(deps, run);
    expect(tapped).not.toBe(deps); // counted: the window belongs to the recorded run
    const admitted = Array.from({ length: 10 }, () => tapped.callBudget?.tryAcquire("contoso", "backfill").admitted);
    expect(admitted.filter(Boolean)).toHaveLength(9); // one call of ten is kept for live windows
    expect(tapped.callBudget?.tryAcquire("contoso", "live").admitted).toBe(true);
  });
});
