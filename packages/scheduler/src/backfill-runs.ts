import { alignDown, type CheckpointStore, oldestWindowStartMs } from "@xdr-relay/core";

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
  /** Grid windows to enqueue: one per window and query, for each tenant. */
  readonly windows: number;
  /** The order its windows are sent in (`BackfillOrder`); absent in runs recorded by older versions: `by-query`. */
  readonly order?: BackfillOrder;
  /**
   * How far sending them got; absent in runs recorded by older versions (taken as sent in full).
   * Updated after each send, so a backfill process that died part-way leaves an honest count.
   */
  readonly enqueue?: BackfillEnqueue;
  /**
   * When `backfill cancel` called it off: fetchers drop its windows still queued without a call.
   * A cancelled run is never gone on with, nor reported stopped, nor in the way of asking again.
   */
  readonly cancelledAtMs?: number;
}

/**
 * The order of a tenant's windows: `by-window`, oldest window first with its queries together, or
 * `by-query` (older versions), every window of one query before the next query's. By query, a
 * backfill reaching back near 30 days sent the last query's oldest windows hours behind the
 * first's, and Defender had dropped their data by the time they were fetched.
 */
export type BackfillOrder = "by-window" | "by-query";

/**
 * `sent` counts first-pass windows in the order they are sent (tenant by tenant as configured,
 * then in the run's `order`), so a second try of the same run knows which are left. `complete` is set after the last send, the re-sweeps included. `atMs`: the last update.
 * `stopped`: the try sending it failed or was interrupted and said so, so the run can be taken
 * up again at once rather than after `enqueueStalledAfterMs` (a killed process says nothing).
 */
export interface BackfillEnqueue {
  readonly sent: number;
  readonly complete: boolean;
  readonly atMs: number;
  readonly stopped?: boolean;
}

/**
 * The recent runs, newest last. Older ones drop off so the record stays small, but never one whose
 * enqueue did not finish while it can still be finished (`awaitsRest`): it is how a later
 * `backfill` of the same range finds the windows left to send.
 */
export const backfillRunsKey = "backfill/runs";
const keptRuns = 20;
const maxSwapTries = 20;

/**
 * Rewrites the record with compare-and-swap, so writers in several processes at once all land:
 * `change` is applied to the runs as stored, again after each lost swap. Returns the runs written.
 */
async function swapRuns(
  store: CheckpointStore,
  what: string,
  change: (runs: BackfillRun[]) => BackfillRun[],
): Promise<BackfillRun[]> {
  for (let i = 0; i < maxSwapTries; i++) {
    const stored = await store.read(backfillRunsKey);
    const runs = change(parseRuns(stored?.value));
    if ((await store.write(backfillRunsKey, JSON.stringify(runs), stored?.etag)) !== undefined) return runs;
  }
  throw new Error(`could not record ${what} in ${backfillRunsKey}: ${maxSwapTries} concurrent writers won in a row`);
}

/**
 * Adds a run to the record (backfills started at once both land). `refuse` sees the runs the run
 * is added to, as stored at that moment (again after each lost swap), and may throw to record
 * nothing: a check made on an earlier read can miss a run another process recorded since.
 */
export async function recordBackfillRun(
  store: CheckpointStore,
  run: BackfillRun,
  refuse?: (recorded: readonly BackfillRun[]) => void,
): Promise<void> {
  await swapRuns(store, "the backfill", (runs) => {
    refuse?.(runs);
    return withoutOldest([...runs, run], run.startedAtMs);
  });
}

/**
 * Calls off a run: sets `cancelledAtMs` (the first cancel's time stays). Returns the run as now
 * recorded, or undefined when no run has that id (nothing is written then).
 */
export async function cancelBackfillRun(store: CheckpointStore, runId: string, atMs: number): Promise<BackfillRun | undefined> {
  const stored = await readBackfillRuns(store);
  if (!stored.some((r) => r.id === runId)) return undefined;
  const runs = await swapRuns(store, "the cancel", (all) =>
    all.map((r) => (r.id === runId ? { ...r, cancelledAtMs: r.cancelledAtMs ?? atMs } : r)),
  );
  return runs.find((r) => r.id === runId);
}

/**
 * Records how far enqueueing a run got. Counts only grow (two tries of the same run at once each
 * report their own progress), and a run that dropped off the record is left alone. Returns the
 * run as now recorded (undefined if it dropped off), so the sender learns of a cancel.
 */
export async function recordBackfillEnqueue(
  store: CheckpointStore,
  runId: string,
  enqueue: BackfillEnqueue,
): Promise<BackfillRun | undefined> {
  const runs = await swapRuns(store, "the backfill's progress", (all) =>
    all.map((r) => {
      if (r.id !== runId) return r;
      const before = r.enqueue ?? { sent: 0, complete: false, atMs: 0 };
      const sent = Math.max(before.sent, enqueue.sent);
      const complete = before.complete || enqueue.complete;
      // The latest word on whether a try is still sending wins: a try that goes on clears `stopped`.
      const stopped = !complete && enqueue.stopped === true;
      return { ...r, enqueue: { sent, complete, atMs: enqueue.atMs, ...(stopped && { stopped }) } };
    }),
  );
  return runs.find((r) => r.id === runId);
}

/** How long a run's enqueue may go without an update before it is taken for stopped (its process died). */
export const enqueueStalledAfterMs = 60_000;

/** Where a run's enqueue stands: done, going on in some process, or stopped part-way. */
export type EnqueueState =
  | { readonly kind: "complete" }
  | { readonly kind: "sending" | "stopped"; readonly sent: number; readonly sinceMs: number };

export function enqueueState(run: BackfillRun, nowMs: number): EnqueueState {
  const e = run.enqueue;
  if (e === undefined || e.complete) return { kind: "complete" };
  const sinceMs = Math.max(0, nowMs - e.atMs);
  const sending = e.stopped !== true && sinceMs < enqueueStalledAfterMs;
  return { kind: sending ? "sending" : "stopped", sent: Math.min(e.sent, run.windows), sinceMs };
}

/**
 * Drops the oldest runs that await nothing until at most `keptRuns` are left, or none such is. A
 * cancelled run is kept while its range can be backfilled: its windows may still be queued (a big
 * backfill's wait for budget is long), and a fetcher that no longer found it would fetch them.
 */
function withoutOldest(runs: readonly BackfillRun[], nowMs: number): BackfillRun[] {
  let excess = runs.length - keptRuns;
  return runs.filter((r) => {
    const cancelledRecently = r.cancelledAtMs !== undefined && backfillable(r, nowMs);
    if (excess <= 0 || awaitsRest(r, nowMs) || cancelledRecently) return true;
    excess--;
    return false;
  });
}

/**
 * An enqueue that did not finish, of a range the same backfill may still be asked for: once its
 * start is older than Defender's 30 days, `backfill` refuses the range, so nothing can finish it.
 */
function awaitsRest(run: BackfillRun, nowMs: number): boolean {
  return run.cancelledAtMs === undefined && run.enqueue !== undefined && !run.enqueue.complete && backfillable(run, nowMs);
}

/** Whether `backfill` would still take the run's range: its first window no older than `backfill` accepts. */
function backfillable(run: BackfillRun, nowMs: number): boolean {
  return alignDown(run.fromMs, run.windowMs) >= oldestWindowStartMs(nowMs, run.windowMs);
}

/**
 * The run to go on with when an operator asks again for a backfill whose enqueue did not finish:
 * the newest recorded run of the same range, grid and tenants' queries, not complete.
 */
export function unfinishedRunLike(
  runs: readonly BackfillRun[],
  like: Pick<BackfillRun, "fromMs" | "toMs" | "windowMs" | "tenants">,
): BackfillRun | undefined {
  const shape = (r: Pick<BackfillRun, "fromMs" | "toMs" | "windowMs" | "tenants">) =>
    JSON.stringify([r.fromMs, r.toMs, r.windowMs, r.tenants.map((t) => [t.id, t.queries])]);
  const wanted = shape(like);
  return runs.findLast(
    (r) => r.cancelledAtMs === undefined && r.enqueue !== undefined && !r.enqueue.complete && shape(r) === wanted,
  );
}

/**
 * The runs whose enqueue stopped part-way and can still be finished (`awaitsRest`), unless a later
 * run finished sending a superset of their windows: the same range and grid, and every tenant's
 * queries among its own (one asked for afresh after a tenant or query was added covers them).
 * Oldest first.
 */
export function stoppedRuns(runs: readonly BackfillRun[], nowMs: number): BackfillRun[] {
  return runs.filter(
    (run, i) =>
      awaitsRest(run, nowMs) &&
      enqueueState(run, nowMs).kind === "stopped" &&
      !runs.slice(i + 1).some((later) => covers(later, run) && enqueueState(later, nowMs).kind === "complete"),
  );
}

function covers(later: BackfillRun, run: BackfillRun): boolean {
  if (later.fromMs !== run.fromMs || later.toMs !== run.toMs || later.windowMs !== run.windowMs) return false;
  return run.tenants.every((t) => {
    const queries = later.tenants.find((l) => l.id === t.id)?.queries ?? [];
    return t.queries.every((q) => queries.includes(q));
  });
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
    ) &&
    (r.enqueue === undefined || isEnqueue(r.enqueue)) &&
    (r.order === undefined || r.order === "by-window" || r.order === "by-query") &&
    (r.cancelledAtMs === undefined || Number.isFinite(r.cancelledAtMs))
  );
}

function isEnqueue(v: unknown): v is BackfillEnqueue {
  const e = v as Partial<Record<keyof BackfillEnqueue, unknown>> | null;
  return (
    typeof e === "object" &&
    e !== null &&
    [e.sent, e.atMs].every(Number.isFinite) &&
    typeof e.complete === "boolean" &&
    (e.stopped === undefined || typeof e.stopped === "boolean")
  );
}

/**
 * The run a window message belongs to, if any: the one it names (`QueryWindow.run`, set since
 * backfills could be cancelled, and kept by retries and halves), exactly. A window from before
 * names none: then the newest run whose range and queries cover it, enqueued after it started, is
 * taken, which is only a guess where runs overlap (good enough for counting, never for dropping).
 */
export function runOfWindow(runs: readonly BackfillRun[], window: unknown, enqueuedAtMs: number): BackfillRun | undefined {
  const w = window as {
    tenant?: unknown;
    query?: unknown;
    start?: unknown;
    end?: unknown;
    origin?: unknown;
    run?: unknown;
  } | null;
  if (typeof w !== "object" || w === null || (w.origin !== "backfill" && w.origin !== "split")) return undefined;
  if (typeof w.run === "string") return runs.find((r) => r.id === w.run);
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
