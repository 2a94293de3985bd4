import { describe, expect, it } from "vitest";
import { type BackfillRun, backfillRunsKey, readBackfillRuns, recordBackfillRun } from "./backfill-runs.ts";
import { addToBackfillTally, emptyTally, readBackfillTally } from "./backfill-tally.ts";
import { MemoryCheckpointStore } from "./scheduler-fakes.ts";

const run = (id: string): BackfillRun => ({
  id,
  startedAtMs: 1,
  fromMs: 0,
  toMs: 300_000,
  windowMs: 300_000,
  tenants: [{ id: "contoso", queries: ["alert-info"] }],
  windows: 1,
});

describe("backfill runs record", () => {
  it("keeps both of two backfills recorded at once", async () => {
    const store = new MemoryCheckpointStore();
    await Promise.all([recordBackfillRun(store, run("b-1")), recordBackfillRun(store, run("b-2"))]);
    expect((await readBackfillRuns(store)).map((r) => r.id).sort()).toEqual(["b-1", "b-2"]);
  });

  it("keeps the 20 most recent", async () => {
    const store = new MemoryCheckpointStore();
    for (let i = 0; i < 25; i++) await recordBackfillRun(store, run(`b-${i}`));
    const ids = (await readBackfillRuns(store)).map((r) => r.id);
    expect([ids.length, ids[0], ids.at(-1)]).toEqual([20, "b-5", "b-24"]);
  });

  it("skips an entry it cannot read instead of failing", async () => {
    const store = new MemoryCheckpointStore();
    await store.write(backfillRunsKey, JSON.stringify([{ id: "from-the-future" }, run("b-1")]), undefined);
    expect((await readBackfillRuns(store)).map((r) => r.id)).toEqual(["b-1"]);
  });
});

describe("backfill tally", () => {
  it("adds up what fetchers in several processes report at once", async () => {
    const store = new MemoryCheckpointStore();
    const delta = { ...emptyTally, calls: 2, rowsSent: 100, throttled: 1 };
    const results = await Promise.all([1, 2, 3].map(() => addToBackfillTally(store, "b-1", delta)));
    expect(results).toEqual([true, true, true]);
    expect(await readBackfillTally(store, "b-1")).toEqual({ ...emptyTally, calls: 6, rowsSent: 300, throttled: 3 });
  });

  it("reads a missing tally as zero", async () => {
    expect(await readBackfillTally(new MemoryCheckpointStore(), "b-none")).toEqual(emptyTally);
  });
});
