import { describe, expect, it } from "vitest";
import type { QueryWindow } from "../contracts/query-window.ts";
import {
  alignDown,
  alignUp,
  dueWindows,
  gridWindows,
  newWindow,
  splitRange,
  splitWindow,
  type TimeRange,
} from "./window-grid.ts";

const min = 60_000;
const w = 5 * min;
const t0 = Date.parse("2026-11-26T10:00:00.000Z");
/** `[t0 + a·min, t0 + b·min)` */
const r = (a: number, b: number): TimeRange => ({ startMs: t0 + a * min, endMs: t0 + b * min });

describe("alignDown / alignUp", () => {
  it.each([
    ["on a grid line", 0, 0, 0],
    ["just after a line", 0.001, 0, 5],
    ["mid-window", 2.5, 0, 5],
    ["just before a line", 4.999, 0, 5],
    ["on the next line", 5, 5, 5],
    ["before the reference", -2.5, -5, 0],
  ])("%s", (_, minutes, down, up) => {
    const t = t0 + minutes * min;
    expect([alignDown(t, w), alignUp(t, w)]).toEqual([t0 + down * min, t0 + up * min]);
  });

  it("aligns to the Unix epoch, so every process draws the same grid", () => {
    expect([alignDown(7, 5), alignUp(7, 5), alignDown(-1, 5), alignUp(-6, 5)]).toEqual([5, 10, -5, -5]);
  });
});

describe("gridWindows", () => {
  it.each([
    ["a range on grid lines", 0, 15, undefined, [r(0, 5), r(5, 10), r(10, 15)]],
    ["ragged edges, widened to the grid", 2, 11, undefined, [r(0, 5), r(5, 10), r(10, 15)]],
    ["an end just past a line", 0, 5.001, undefined, [r(0, 5), r(5, 10)]],
    ["an empty range", 5, 5, undefined, []],
    ["a reversed range", 10, 5, undefined, []],
    ["at most maxWindows, oldest first", 0, 60, 2, [r(0, 5), r(5, 10)]],
  ])("%s", (_, from, to, maxWindows, expected) => {
    expect(gridWindows(t0 + from * min, t0 + to * min, w, maxWindows)).toEqual(expected);
  });

  it("tiles without gaps or overlaps: each window starts where the last ended", () => {
    const windows = gridWindows(t0, t0 + 24 * 60 * min, w);
    expect(windows).toHaveLength(288);
    for (const [i, win] of windows.entries()) {
      expect(win.endMs - win.startMs).toBe(w);
      if (i > 0) expect(win.startMs).toBe(windows[i - 1]?.endMs);
    }
  });

  it.each([0, -1, Number.NaN])("refuses a window size of %s", (size) => {
    expect(() => gridWindows(0, 10, size)).toThrow(RangeError);
  });
});

describe("dueWindows", () => {
  const lagMs = 10 * min;
  /** Windows due with the checkpoint at `cp` and the clock at `now` (minutes after t0). */
  const due = (cp: number, now: number, maxWindows = 288) =>
    dueWindows({ checkpointMs: t0 + cp * min, nowMs: t0 + now * min, windowMs: w, lagMs, maxWindows });

  it.each([
    ["nothing while the next window has not aged by the lag", 0, 14.999, [], 0, 0],
    ["a window once it ended exactly lagMs ago", 0, 15, [r(0, 5)], 5, 0],
    ["only whole windows, never a partial one", 0, 24.999, [r(0, 5), r(5, 10)], 10, 0],
    ["nothing when the checkpoint is ahead of the horizon", 20, 25, [], 20, 0],
    ["catch-up bounded by maxWindows, the rest counted", 0, 70, [r(0, 5), r(5, 10)], 10, 10],
  ])("%s", (_, cp, now, windows, checkpoint, remaining) => {
    const maxWindows = 2;
    expect(due(cp, now, maxWindows)).toEqual({ windows, checkpointMs: t0 + checkpoint * min, remaining });
  });

  it("resumes from an unaligned checkpoint at its grid line, so no instant is skipped", () => {
    expect(due(2, 25).windows).toEqual([r(0, 5), r(5, 10), r(10, 15)]);
  });

  it("drains a long outage over successive ticks without gaps or repeats", () => {
    let checkpoint = 0;
    const seen: TimeRange[] = [];
    for (let tick = 0; tick < 10; tick++) {
      const plan = due(checkpoint, 24 * 60, 100);
      seen.push(...plan.windows);
      checkpoint = (plan.checkpointMs - t0) / min;
      if (plan.remaining === 0) break;
    }
    expect(seen).toEqual(gridWindows(t0, t0 + (24 * 60 - 10) * min, w));
  });
});

describe("splitRange", () => {
  it.each([
    ["a grid window into two equal halves", r(0, 5), 1_000, [r(0, 2.5), r(2.5, 5)]],
    ["down to exactly the minimum size", r(0, 2), min, [r(0, 1), r(1, 2)]],
    [
      "an odd length, the later half one ms longer",
      { startMs: 0, endMs: 3 },
      1,
      [
        { startMs: 0, endMs: 1 },
        { startMs: 1, endMs: 3 },
      ],
    ],
    ["not when a half would be below the minimum", r(0, 2), min + 1, undefined],
    ["not a 1 ms window, whatever the minimum", { startMs: 0, endMs: 1 }, 0, undefined],
  ])("splits %s", (_, range, minWindowMs, expected) => {
    expect(splitRange(range, minWindowMs)).toEqual(expected);
  });
});

describe("splitWindow", () => {
  const parent: QueryWindow = {
    ...newWindow({ tenant: "t", query: "q", range: r(0, 5), origin: "resweep", depth: 1, sweep: 2 }),
    attempt: 3,
    lastError: "x",
  };

  it("gives two halves one level deeper, with fresh attempts, the same sweep and origin split", () => {
    const halves = splitWindow(parent, 1_000);
    const common = { version: 1, tenant: "t", query: "q", attempt: 0, depth: 2, origin: "split", sweep: 2 };
    expect(halves).toEqual([
      { ...common, start: "2026-11-26T10:00:00.000Z", end: "2026-11-26T10:02:30.000Z" },
      { ...common, start: "2026-11-26T10:02:30.000Z", end: "2026-11-26T10:05:00.000Z" },
    ]);
  });

  it("keeps a backfill window's halves in the backfill (its lane, its tally, its cancel)", () => {
    const halves = splitWindow({ ...parent, origin: "backfill", run: "b-1" }, 1_000);
    expect(halves?.map((h) => [h.origin, h.depth, h.run])).toEqual([
      ["backfill", 2, "b-1"],
      ["backfill", 2, "b-1"],
    ]);
  });

  it("refuses to split a window at the minimum size", () => {
    expect(splitWindow(parent, 3 * min)).toBeUndefined();
  });
});
