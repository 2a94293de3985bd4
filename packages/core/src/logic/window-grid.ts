import type { QueryWindow, WindowOrigin } from "../contracts/query-window.ts";

/** A half-open range of epoch milliseconds, `[startMs, endMs)`. */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

/** The grid line at or before `t`. Grid lines are multiples of `windowMs` from the Unix epoch. */
export function alignDown(t: number, windowMs: number): number {
  return Math.floor(t / windowMs) * windowMs;
}

/** The grid line at or after `t`. */
export function alignUp(t: number, windowMs: number): number {
  return Math.ceil(t / windowMs) * windowMs;
}

/**
 * The grid windows that tile `[fromMs, toMs)`, after aligning `fromMs` down and `toMs` up to the
 * grid, at most `maxWindows` of them (the oldest first). Adjacent windows share an edge and never
 * overlap, so a row stamped exactly on an edge belongs to exactly one window.
 */
export function gridWindows(fromMs: number, toMs: number, windowMs: number, maxWindows = Number.POSITIVE_INFINITY): TimeRange[] {
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const windows: TimeRange[] = [];
  for (let s = alignDown(fromMs, windowMs); s < toMs && windows.length < maxWindows; s += windowMs) {
    windows.push({ startMs: s, endMs: s + windowMs });
  }
  return windows;
}

export interface DuePlan {
  /** Windows to enqueue now, oldest first. */
  readonly windows: TimeRange[];
  /** The new checkpoint: the end of the last planned window (unchanged when nothing is due). */
  readonly checkpointMs: number;
  /** Windows due but left for the next tick by `maxWindows` (catch-up after downtime is bounded). */
  readonly remaining: number;
}

/**
 * Which grid windows are due at `nowMs`: every whole window after the checkpoint that ended at least
 * `lagMs` ago (Defender needs time before recent events are queryable).
 */
export function dueWindows(args: {
  checkpointMs: number;
  nowMs: number;
  windowMs: number;
  lagMs: number;
  maxWindows: number;
}): DuePlan {
  const { checkpointMs, nowMs, windowMs, lagMs, maxWindows } = args;
  const horizon = alignDown(nowMs - lagMs, windowMs);
  const from = alignDown(checkpointMs, windowMs);
  const total = horizon > from ? (horizon - from) / windowMs : 0;
  const windows = gridWindows(from, horizon, windowMs, maxWindows);
  const last = windows.at(-1);
  return { windows, checkpointMs: last ? last.endMs : checkpointMs, remaining: total - windows.length };
}

/** The two halves of a window; undefined when a half would be shorter than `minWindowMs`. */
export function splitRange(range: TimeRange, minWindowMs: number): [TimeRange, TimeRange] | undefined {
  const half = Math.floor((range.endMs - range.startMs) / 2);
  if (half < minWindowMs || half < 1) return undefined;
  const mid = range.startMs + half;
  return [
    { startMs: range.startMs, endMs: mid },
    { startMs: mid, endMs: range.endMs },
  ];
}

export function rangeOf(w: Pick<QueryWindow, "start" | "end">): TimeRange {
  return { startMs: Date.parse(w.start), endMs: Date.parse(w.end) };
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A fresh window message body for a range. */
export function newWindow(args: {
  tenant: string;
  query: string;
  range: TimeRange;
  origin: WindowOrigin;
  depth?: number;
  sweep?: number;
  /** The backfill run it belongs to (backfill windows only). */
  run?: string | undefined;
}): QueryWindow {
  return {
    version: 1,
    tenant: args.tenant,
    query: args.query,
    start: toIso(args.range.startMs),
    end: toIso(args.range.endMs),
    attempt: 0,
    depth: args.depth ?? 0,
    origin: args.origin,
    sweep: args.sweep ?? 0,
    ...(args.run !== undefined && { run: args.run }),
  };
}

/**
 * The two halves of a window message (depth + 1, fresh attempts, same sweep), or undefined when
 * the window is already at the minimum size.
 */
export function splitWindow(window: QueryWindow, minWindowMs: number): [QueryWindow, QueryWindow] | undefined {
  const halves = splitRange(rangeOf(window), minWindowMs);
  if (!halves) return undefined;
  const half = (range: TimeRange): QueryWindow => ({
    ...newWindow({
      tenant: window.tenant,
      query: window.query,
      range,
      // A half of a backfill window stays `backfill`, so it is fetched in the backfill lane like its
      // window (`windowLane`) and counted towards its backfill; `depth` says it is a half.
      origin: window.origin === "backfill" ? "backfill" : "split",
      depth: window.depth + 1,
      sweep: window.sweep,
      run: window.run,
    }),
  });
  return [half(halves[0]), half(halves[1])];
}
