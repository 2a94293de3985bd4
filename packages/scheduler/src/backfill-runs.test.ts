import { describe, expect, it } from "vitest";
import { checkBackfill } from "./backfill.ts";
import {
  type BackfillRun,
  backfillRunsKey,
  cancelBackfillRun,
  enqueueStalledAfterMs,
  enqueueState,
  readBackfillRuns,
  recordBackfillEnqueue,
  recordBackfillRun,
  stoppedRuns,
  unfinishedRunLike,
} from "./backfill-runs.ts";
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

  it("checks a run against the record as it is when the run is added, so of two at once the second can be refused", async () => {
    const store = new MemoryCheckpointStore();
    const refuseAnyOther = (recorded: readonly BackfillRun[]) => {
      if (recorded.length > 0) throw new Error(`overlaps ${recorded.map((r) => r.id).join()}`);
    };
    const outcomes = await Promise.allSettled([
      recordBackfillRun(store, run("b-1"), refuseAnyOther),
      recordBackfillRun(store, run("b-2"), refuseAnyOther),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await readBackfillRuns(store)).toHaveLength(1);
  });

  it("keeps the 20 most recent", async () => {
    const store = new MemoryCheckpointStore();
    for (let i = 0; i < 25; i++) await recordBackfillRun(store, run(`b-${i}`));
    const ids = (await readBackfillRuns(store)).map((r) => r.id);
    expect([ids.length, ids[0], ids.at(-1)]).toEqual([20, "b-5", "b-24"]);
  });

  it("never drops a run whose enqueue did not finish, so the same backfill asked for again can go on with it", async () => {
    const store = new MemoryCheckpointStore();
    const unfinished = { ...run("b-unfinished"), enqueue: { sent: 3, complete: false, atMs: 1 } };
    await recordBackfillRun(store, run("b-0"));
    await recordBackfillRun(store, unfinished);
    for (let i = 1; i < 25; i++) await recordBackfillRun(store, run(`b-${i}`));
    const ids = (await readBackfillRuns(store)).map((r) => r.id);
    expect([ids.length, ids[0], ids[1], ids.at(-1)]).toEqual([20, "b-unfinished", "b-6", "b-24"]);
  });

  it("skips an entry it cannot read instead of failing", async () => {
    const store = new MemoryCheckpointStore();
    await store.write(backfillRunsKey, JSON.stringify([{ id: "from-the-future" }, run("b-1")]), undefined);
    expect((await readBackfillRuns(store)).map((r) => r.id)).toEqual(["b-1"]);
  });
});

describe("backfill enqueue record", () => {
  const sending = (id: string, sent: number, extra: Partial<BackfillRun> = {}): BackfillRun => ({
    ...run(id),
    windows: 10,
    enqueue: { sent, complete: false, atMs: 1_000 },
    ...extra,
  });

  it("records how many windows were sent, only ever more, and completion", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, sending("b-1", 0));
    await recordBackfillRun(store, run("b-2"));
    await recordBackfillEnqueue(store, "b-1", { sent: 6, complete: false, atMs: 2_000 });
    await recordBackfillEnqueue(store, "b-1", { sent: 4, complete: false, atMs: 3_000 }); // a slower second try
    expect((await readBackfillRuns(store))[0]?.enqueue).toEqual({ sent: 6, complete: false, atMs: 3_000 });
    await recordBackfillEnqueue(store, "b-1", { sent: 10, complete: true, atMs: 4_000 });
    const [first, second] = await readBackfillRuns(store);
    expect(first?.enqueue).toEqual({ sent: 10, complete: true, atMs: 4_000 });
    expect(second).toEqual(run("b-2"));
  });

  it.each([
    ["a run an older version recorded", run("b-1"), 0, { kind: "complete" }],
    ["a run sent in full", sending("b-1", 10, { enqueue: { sent: 10, complete: true, atMs: 1_000 } }), 0, { kind: "complete" }],
    ["a run updated a moment ago", sending("b-1", 4), 1_000 + 5_000, { kind: "sending", sent: 4, sinceMs: 5_000 }],
    [
      "a run not updated for a minute",
      sending("b-1", 4),
      1_000 + enqueueStalledAfterMs,
      { kind: "stopped", sent: 4, sinceMs: enqueueStalledAfterMs },
    ],
    [
      "a run whose try said it stopped, a moment ago",
      sending("b-1", 4, { enqueue: { sent: 4, complete: false, atMs: 1_000, stopped: true } }),
      1_000 + 5_000,
      { kind: "stopped", sent: 4, sinceMs: 5_000 },
    ],
  ])("says where the enqueue of %s stands", (_, r, nowMs, state) => {
    expect(enqueueState(r, nowMs)).toEqual(state);
  });

  it("records a try that stopped, keeping its count, until a try that goes on updates it", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, sending("b-1", 6));
    await recordBackfillEnqueue(store, "b-1", { sent: 0, complete: false, atMs: 2_000, stopped: true });
    expect((await readBackfillRuns(store))[0]?.enqueue).toEqual({ sent: 6, complete: false, atMs: 2_000, stopped: true });
    await recordBackfillEnqueue(store, "b-1", { sent: 8, complete: false, atMs: 3_000 });
    expect((await readBackfillRuns(store))[0]?.enqueue).toEqual({ sent: 8, complete: false, atMs: 3_000 });
  });

  it("finds the unfinished run of the same range and queries to go on with, and no other", () => {
    const like = run("new");
    const runs = [sending("b-old", 3), run("b-done"), sending("b-other", 3, { toMs: 600_000 }), sending("b-last", 5)];
    expect(unfinishedRunLike(runs, like)?.id).toBe("b-last");
    expect(unfinishedRunLike(runs, { ...like, tenants: [{ id: "contoso", queries: ["alert-evidence"] }] })).toBeUndefined();
    expect(unfinishedRunLike([run("b-legacy")], like)).toBeUndefined();
  });

  it("lists the runs whose enqueue stopped, unless a later run of the same range finished", () => {
    const later = 1_000 + enqueueStalledAfterMs;
    const runs = [
      sending("b-stopped", 3),
      sending("b-replaced", 3, { toMs: 600_000 }),
      sending("b-sending", 3, { fromMs: 300_000, enqueue: { sent: 3, complete: false, atMs: later } }),
      { ...run("b-done"), toMs: 900_000 },
      { ...run("b-again"), toMs: 600_000 }, // the same range as b-replaced, asked for afresh and sent in full
    ];
    expect(stoppedRuns(runs, later).map((r) => r.id)).toEqual(["b-stopped"]);
  });

  it("still lists a stopped run when the later run covered only some of its queries", () => {
    const later = 1_000 + enqueueStalledAfterMs;
    const both = [{ id: "contoso", queries: ["alert-info", "alert-evidence"] }];
    const runs = [sending("b-both", 3, { tenants: both }), run("b-info-only")];
    expect(stoppedRuns(runs, later).map((r) => r.id)).toEqual(["b-both"]);
    expect(stoppedRuns([...runs, { ...run("b-all"), tenants: both }], later)).toEqual([]);
  });

  it("lets go of a stopped run once backfill would refuse its range (its first window within 15 minutes of Defender's 30 days): no backfill can finish it", async () => {
    const days30 = 30 * 24 * 3_600_000;
    const lastTaken = days30 - 15 * 60_000; // backfill still takes a first window starting at 0 (the run's)
    const stale = sending("b-stale", 3);
    expect(stoppedRuns([stale], lastTaken).map((r) => r.id)).toEqual(["b-stale"]);
    expect(stoppedRuns([stale], lastTaken + 1)).toEqual([]);
    const request = { tenant: "contoso", queries: ["alert-info"], fromMs: 0, toMs: 300_000, windowMs: 300_000 };
    expect(checkBackfill({ ...request, nowMs: lastTaken })).toBeUndefined();
    expect(checkBackfill({ ...request, nowMs: lastTaken + 1 })).toMatch(/--from is older/);
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, stale);
    for (let i = 0; i < 20; i++) await recordBackfillRun(store, { ...run(`b-${i}`), startedAtMs: days30 + 1 });
    expect((await readBackfillRuns(store)).map((r) => r.id)).not.toContain("b-stale");
  });

  it("skips a run whose enqueue record it cannot read", async () => {
    const store = new MemoryCheckpointStore();
    await store.write(backfillRunsKey, JSON.stringify([{ ...run("b-0"), enqueue: { sent: "x" } }, run("b-1")]), undefined);
    expect((await readBackfillRuns(store)).map((r) => r.id)).toEqual(["b-1"]);
  });
});

describe("backfill tally", () => {
  it("adds up what fetchers in several processes report at once", async () => {
    const store = new MemoryCheckpointStore();
    const delta = { ...emptyTally, calls: 2, rowsSent: 100, throttled: 1 };
    const results = await Promise.all([1, 2, 3].map(() => addToBackfillTally(store, "b-1", delta)));
    expect(results).toEqual([true, true, true]);
    expect(await readBackfillTally(store, "b-1")).toEqual({
      ...emptyTally,
      calls: 6,
      rowsSent: 300,
      throttled: 3,
      lastAtMs: expect.any(Number),
    });
  });

  it("reads a missing tally as zero", async () => {
    expect(await readBackfillTally(new MemoryCheckpointStore(), "b-none")).toEqual(emptyTally);
  });
});

describe("a cancelled backfill", () => {
  const stopped = (id: string): BackfillRun => ({ ...run(id), windows: 10, enqueue: { sent: 3, complete: false, atMs: 0 } });

  it("keeps the time of its first cancel, and an unknown id cancels nothing", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run("b-1"));
    expect((await cancelBackfillRun(store, "b-1", 5_000))?.cancelledAtMs).toBe(5_000);
    expect((await cancelBackfillRun(store, "b-1", 9_000))?.cancelledAtMs).toBe(5_000);
    expect(await cancelBackfillRun(store, "b-2", 9_000)).toBeUndefined();
    expect((await readBackfillRuns(store)).map((r) => [r.id, r.cancelledAtMs])).toEqual([["b-1", 5_000]]);
  });

  it("is neither gone on with nor reported stopped", () => {
    const later = 1_000 + enqueueStalledAfterMs;
    const cancelled = { ...stopped("b-cancelled"), cancelledAtMs: 500 };
    expect(unfinishedRunLike([cancelled], run("new"))).toBeUndefined();
    expect(stoppedRuns([cancelled], later)).toEqual([]);
    expect(stoppedRuns([stopped("b-stopped")], later).map((r) => r.id)).toEqual(["b-stopped"]);
  });

  it("stays recorded past the newest 20 while its windows may be queued, so fetchers still drop them", async () => {
    const days30 = 30 * 24 * 3_600_000;
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, { ...run("b-cancelled"), cancelledAtMs: 500 });
    for (let i = 0; i < 20; i++) await recordBackfillRun(store, run(`b-${i}`));
    expect((await readBackfillRuns(store)).map((r) => r.id)).toContain("b-cancelled");
    // Once its range is beyond Defender's 30 days, it goes like any other.
    await recordBackfillRun(store, { ...run("b-late"), startedAtMs: days30 + 1 });
    expect((await readBackfillRuns(store)).map((r) => r.id)).not.toContain("b-cancelled");
  });
});
