import type { CheckpointStore } from "@xdr-relay/core";

/**
 * What a backfill asked for, kept in the checkpoint store so that another process (a fetcher, a
 * `backfill status`) can tell its windows apart and say how far it got.
 */
export interface BackfillRun {
  /** `b-<start ISO>`: says when it was asked for, unique enough for one operator's backfills. */
  readonly id: string;
  readonly startedAtMs: number;
  /** The grid-aligned range its windows tile, `[fromMs, toMs)`. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly windowMs: number;
  readonly tenants: readonly { readonly id: string; readonly queries: readonly string[] }[];
  /** Grid windows enqueued: one per window and query, for each tenant. */
  readonly windows: number;
}

/** The recent runs, newest last; older ones drop off so the record stays small. */
export const backfillRunsKey = "backfill/runs";
const keptRuns = 20;
const maxSwapTries = 20;

/** Adds a run to the record (compare-and-swap: backfills started at once both land). */
export async function recordBackfillRun(store: CheckpointStore, run: BackfillRun): Promise<void> {
  for (let i = 0; i < maxSwapTries; i++) {
    const stored = await store.read(backfillRunsKey);
    const runs = [...parseRuns(stored?.value), run].slice(-keptRuns);
    if ((await store.write(backfillRunsKey, JSON.stringify(runs), stored?.etag)) !== undefined) return;
  }
  throw new Error(`could not record the backfill in ${backfillRunsKey}: ${maxSwapTries} concurrent writers won in a row`);
}

export async function readBackfillRuns(store: CheckpointStore): Promise<BackfillRun[]> {
  return parseRuns((await store.read(backfillRunsKey))?.value);
}

/** Runs as stored; an entry this code cannot read (older or newer format) is skipped, not fatal. */
function parseRuns(value: string | undefined): BackfillRun[] {
  if (value === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`checkpoint ${backfillRunsKey} is not JSON; delete it to start the record afresh`);
  }
  return Array.isArray(parsed) ? parsed.filter(isBackfillRun) : [];
}

function isBackfillRun(v: unknown): v is BackfillRun {
  const r = v as Partial<Record<keyof BackfillRun, unknown>> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    typeof r.id === "string" &&
    [r.startedAtMs, r.fromMs, r.toMs, r.windowMs, r.windows].every(Number.isFinite) &&
    Array.isArray(r.tenants) &&
    r.tenants.every(
      (t: unknown) => typeof (t as { id?: unknown }).id === "string" && Array.isArray((t as { queries?: unknown }).queries),
    )
  );
}

/** The run a window message belongs to, if any: a backfill (or a split half of one) inside its range. */
export function runOfWindow(runs: readonly BackfillRun[], window: unknown, enqueuedAtMs: number): BackfillRun | undefined {
  const w = window as { tenant?: unknown; query?: unknown; start?: unknown; end?: unknown; origin?: unknown } | null;
  if (typeof w !== "object" || w === null || (w.origin !== "backfill" && w.origin !== "split")) return undefined;
  const start = Date.parse(String(w.start));
  const end = Date.parse(String(w.end));
  // Newest first: when two backfills overlap, the later one is the one being watched.
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i] as BackfillRun;
    if (enqueuedAtMs < run.startedAtMs - clockSlackMs || start < run.fromMs || end > run.toMs) continue;
    if (run.tenants.some((t) => t.id === w.tenant && t.queries.includes(String(w.query)))) return run;
  }
  return undefined;
}

/**
 * Messages are stamped by the queue's clock, runs by the CLI's; on one machine they agree, across
 * machines they may not quite. A window of an older run of the same range enqueued within this
 * slack would be counted as this run's: harmless, it only makes the run wait for it.
 */
const clockSlackMs = 5_000;
