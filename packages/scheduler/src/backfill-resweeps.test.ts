import {
  CounterMetrics,
  gridWindows,
  newWindow,
  type QueryWindow,
  retryMessageId,
  silentLogger,
  windowMessageId,
} from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { isResweepPass, plannedResweeps, resweepDueMs, resweepMessage } from "./backfill-resweeps.ts";
import { planTick, type ScheduleDeps } from "./plan-tick.ts";
import { MemoryCheckpointStore, RecordingSender } from "./scheduler-fakes.ts";

const min = 60_000;
const hour = 60 * min;
const nowMs = Date.parse("2026-11-26T12:00:00.000Z");
const schedule = { lagMs: 10 * min, offsetsMs: [hour, 24 * hour] };
const windowMs = 5 * min;

describe("plannedResweeps", () => {
  const plan = (fromMs: number, toMs: number) =>
    plannedResweeps(gridWindows(fromMs, toMs, windowMs), schedule, nowMs).map((p) => ({
      start: new Date(p.range.startMs).toISOString().slice(11, 16),
      sweep: p.sweep,
      due: new Date(p.dueMs).toISOString().slice(0, 16),
    }));

  it("schedules each pass still to come, and none that is already due", () => {
    // Ended 2 h ago: its +1 h pass (due 1 h 50 min ago) is passed, its +24 h one is to come.
    expect(plan(nowMs - 2 * hour - windowMs, nowMs - 2 * hour)).toEqual([{ start: "09:55", sweep: 2, due: "2026-11-27T10:10" }]);
    // Ended 1 h 10 min ago: its +1 h pass is due right now, and the backfill itself covers that.
    expect(plan(nowMs - 70 * min - windowMs, nowMs - 70 * min).map((p) => p.sweep)).toEqual([2]);
    // Ended 1 h 5 min ago: due in 5 min, both passes to come.
    expect(plan(nowMs - 65 * min - windowMs, nowMs - 65 * min).map((p) => p.sweep)).toEqual([1, 2]);
  });

  it("schedules nothing for windows whose last pass is past, and both for the last few hours", () => {
    expect(plan(nowMs - 7 * 24 * hour, nowMs - 6 * 24 * hour)).toEqual([]);
    const threeDays = plannedResweeps(gridWindows(nowMs - 72 * hour, nowMs, windowMs), schedule, nowMs);
    // +1 h: windows that ended less than 70 min ago (65 min … 0 ago: 14); +24 h: less than 24 h 10 min ago (290).
    expect(threeDays.filter((p) => p.sweep === 1)).toHaveLength(14);
    expect(threeDays.filter((p) => p.sweep === 2)).toHaveLength(290);
  });

  it("schedules nothing when no re-sweeps are configured", () => {
    expect(plannedResweeps(gridWindows(nowMs - hour, nowMs, windowMs), { lagMs: 0, offsetsMs: [] }, nowMs)).toEqual([]);
  });
});

describe("a scheduled re-sweep and the scheduler's own pass over the same window", () => {
  /** The scheduler's pass `sweep` of `alert-info`, ticking once at `atMs` from a first pass that started at `startMs`. */
  async function schedulerSends(startMs: number, atMs: number) {
    const windows = new RecordingSender();
    const deps: ScheduleDeps = {
      store: new MemoryCheckpointStore(),
      windows,
      windowMs,
      lagMs: schedule.lagMs,
      maxWindowsPerTick: 1_000,
      startAtMs: startMs,
      resweepOffsetsMs: schedule.offsetsMs,
      logger: silentLogger,
      metrics: new CounterMetrics(),
    };
    await planTick(deps, "contoso", "alert-info", atMs);
    return windows.sent;
  }

  it("are due at the same moment and carry the same message id, so duplicate detection keeps one", async () => {
    const range = { startMs: nowMs - 2 * hour - windowMs, endMs: nowMs - 2 * hour };
    const [planned] = plannedResweeps([range], schedule, nowMs);
    if (!planned) throw new Error("expected the +24 h pass");
    const ours = resweepMessage("contoso", "alert-info", planned);
    expect(ours.scheduledEnqueueTimeUtc?.getTime()).toBe(planned.dueMs);
    expect(ours.body).toMatchObject({ origin: "resweep", sweep: 2, attempt: 0, depth: 0 });

    // A moment before the due time the scheduler's pass 2 has not reached the window; at it, it has.
    const before = await schedulerSends(range.startMs, planned.dueMs - 1);
    expect(before.filter((m) => (m.body as QueryWindow).sweep === 2)).toEqual([]);
    const at = await schedulerSends(range.startMs, planned.dueMs);
    const theirs = at.filter((m) => (m.body as QueryWindow).sweep === 2);
    expect(theirs.map((m) => m.messageId)).toEqual([ours.messageId]);
    expect(theirs[0]?.body).toEqual(ours.body);
  });

  it("resweepDueMs refuses a pass that is not configured", () => {
    expect(() => resweepDueMs(nowMs, schedule, 3)).toThrow("no re-sweep pass 3: 2 offsets configured");
  });
});

describe("isResweepPass", () => {
  const range = { startMs: nowMs, endMs: nowMs + windowMs };
  const pass = resweepMessage("contoso", "alert-info", { range, sweep: 1, dueMs: nowMs + hour });
  const first = newWindow({ tenant: "contoso", query: "alert-info", range, origin: "backfill" });

  it.each([
    ["a re-sweep under its pass id", pass, true],
    ["a retry copy of it", { messageId: retryMessageId(pass.messageId, 1, nowMs), body: pass.body }, false],
    ["a backfill's first pass", { messageId: windowMessageId(first), body: first }, false],
    ["a split half of a re-sweep", { messageId: "w-x", body: { ...(pass.body as QueryWindow), origin: "split" } }, false],
    ["something else", { messageId: "x", body: "not a window" }, false],
  ])("%s: %s", (_, message, expected) => {
    expect(isResweepPass(message)).toBe(expected);
  });
});
