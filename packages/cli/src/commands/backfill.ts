import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  alignDown,
  alignUp,
  backfillCallBudget,
  callBudgetFor,
  defaultCallBudget,
  describeError,
  queueNames,
  type RelayConfig,
  utcInstantMs,
} from "@xdr-relay/core";
import {
  type BackfillEstimate,
  type BackfillRun,
  checkBackfill,
  enqueueState,
  estimateBackfill,
  overlappingRuns,
  type RunOverlap,
  readBackfillRuns,
  recordBackfillRun,
  unfinishedRunLike,
} from "@xdr-relay/scheduler";
import { EnqueueCancelled, EnqueueStopped, enqueueRun } from "../backfill/enqueue-run.ts";
import { estimateReport } from "../backfill/estimate-report.ts";
import { duration, fmt, iso } from "../backfill/format.ts";
import { overlapRefusal, overlapReport } from "../backfill/overlap-report.ts";
import { runAgainHint } from "../backfill/progress-line.ts";
import { watchBackfill } from "../backfill/watch.ts";
import { checkpointFile } from "../wiring/data-files.ts";
import { jsonLogger, type LogLevel } from "../wiring/logger.ts";
import { openCheckpointStore } from "../wiring/open-checkpoint-store.ts";
import { openQueue } from "../wiring/open-queue.ts";
import { UsageError } from "./usage-error.ts";

export interface BackfillOptions {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly dryRun: boolean;
  readonly watch: boolean;
  /** Enqueue even windows that earlier backfills asked for already. */
  readonly again: boolean;
  readonly logLevel: LogLevel;
  readonly signal: AbortSignal;
}

export function parseInstant(name: string, value: string | undefined): number {
  if (!value) throw new UsageError(`${name} is required, e.g. ${name} 2026-11-01T00:00:00Z`);
  // With its zone only: a time without one would be read in this machine's zone and move the range.
  const instant = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;
  const ms = instant.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`${name} is not an ISO 8601 instant with its zone, e.g. 2026-11-01T00:00:00Z: "${value}"`);
  }
  // `Date.parse` rolls a day the month lacks over into the next month (2026-02-30 is March 2): the
  // range would move without a word. `utcInstantMs` checks the date as written against the calendar.
  if (Number.isNaN(utcInstantMs(value))) throw new UsageError(`${name} names a day that does not exist: "${value}"`);
  return ms;
}

/**
 * Prints what a backfill of a past range will cost, then (unless `--dry-run`) records it and
 * enqueues its windows for every configured tenant and query; `--watch` then follows the fetch.
 */
export async function backfillCommand(config: RelayConfig, options: BackfillOptions): Promise<number> {
  const fromMs = parseInstant("--from", options.from);
  const toMs = parseInstant("--to", options.to);
  const nowMs = Date.now();
  const windowMs = config.schedule.windowMs;
  const resweeps = { lagMs: config.schedule.lagMs, offsetsMs: config.schedule.resweepOffsetsMs };
  const requests = config.tenants.map((t) => ({ tenant: t.id, queries: t.queries, fromMs, toMs, windowMs, nowMs, resweeps }));
  for (const request of requests) {
    const problem = checkBackfill(request);
    if (problem) throw new UsageError(problem);
  }
  // A backfill draws on each budget less the share kept for live windows, as the fetcher holds it to.
  const budgetOf = (tenant: string) => backfillCallBudget(callBudgetFor(config, tenant));
  const estimate = estimateBackfill({
    tenants: config.tenants,
    fromMs,
    toMs,
    windowMs,
    budgetOf,
    resweeps: { schedule: resweeps, nowMs },
  });
  const range = { fromMs: alignDown(fromMs, windowMs), toMs: alignUp(toMs, windowMs) };
  const defaultBudget = backfillCallBudget(defaultCallBudget(config));
  const fresh: BackfillRun = {
    id: runId(nowMs),
    startedAtMs: nowMs,
    ...range,
    windowMs,
    tenants: config.tenants,
    windows: estimate.windows,
    order: "by-window",
    enqueue: { sent: 0, complete: false, atMs: nowMs },
  };
  const report = [...estimateReport({ estimate, ...range, windowMs, defaultBudget, nowMs }), ...resweepReport(estimate, config)];
  if (options.dryRun) {
    const earlier = await earlierRunsForDryRun(config);
    const overlaps = typeof earlier === "string" ? [] : overlappingRuns(earlier, fresh);
    for (const line of [...report, ...overlapReport(overlaps, nowMs)]) console.log(line);
    if (typeof earlier === "string") console.log(`  (earlier backfills not checked for overlap: ${earlier})`);
    const verdict = dryRunVerdict(typeof earlier === "string" ? [] : earlier, fresh, overlaps, options.again, nowMs);
    if (verdict) console.log(`  Enqueued, it would ${verdict}.`);
    console.log("dry run: nothing enqueued");
    return 0;
  }

  // Opened before the estimate is printed: an unusable dataDir or store is the first thing said.
  const checkpoints = openCheckpointStore(config);
  const queue = openQueue(config);
  const logger = jsonLogger(options.logLevel);
  try {
    await checkpoints.verify();
    for (const line of report) console.log(line);
    const runs = await readBackfillRuns(checkpoints.store);
    const run = unfinishedRun(runs, fresh, nowMs) ?? fresh;
    // Recorded before the first window is sent, so a fetcher already running knows whose it is.
    // Overlaps are checked as the run is added (again after each lost swap), not on the read
    // above: a backfill of the range that another process recorded meanwhile is one too.
    if (run === fresh) {
      let overlaps: readonly RunOverlap[] = [];
      await recordBackfillRun(checkpoints.store, run, (recorded) => {
        overlaps = overlappingRuns(recorded, fresh);
        if (overlaps.length > 0 && !options.again) {
          for (const line of overlapReport(overlaps, nowMs)) console.log(line);
          throw new UsageError(overlapRefusal);
        }
      });
      // With --again: what this backfill asks for again.
      for (const line of overlapReport(overlaps, nowMs)) console.log(line);
    }
    const tty = process.stderr.isTTY === true;
    const enqueued = await enqueueRun({
      run,
      requests,
      // The windows on the backfill lane, which the fetcher serves only while no live window waits.
      lanes: {
        backfill: queue.client.createSender(queueNames.windowsBackfill),
        live: queue.client.createSender(queueNames.windows),
      },
      store: checkpoints.store,
      logger,
      onProgress: (tenant, sent, all) => {
        if (tty) process.stderr.write(`\r${tenant}: ${fmt(sent)}/${fmt(all)} windows enqueued${sent === all ? "\n" : ""}`);
      },
      signal: options.signal,
    }).catch((error: unknown) => stoppedEnqueue(run, tty, error));
    if (enqueued === "stopped") return 130;
    if (enqueued === "cancelled") return 1;
    const { sentNow } = enqueued;
    // Going on with a stopped run sends only its rest: say so, not the whole range's count again.
    const done =
      run === fresh
        ? `backfill enqueued ${fmt(sentNow)} windows`
        : `backfill enqueued the remaining ${fmt(sentNow)} of ${fmt(run.windows)} windows`;
    console.log(
      `${done} from ${iso(range.fromMs)} to ${iso(range.toMs)} as ${run.id}; ` +
        "`xdr-relay run` fetches them, `xdr-relay backfill status --watch` follows them",
    );
    if (estimate.resweeps > 0) {
      console.log(
        `scheduled ${fmt(estimate.resweeps)} late-arrival re-sweeps, the last due ${iso(estimate.lastResweepDueMs ?? nowMs)}`,
      );
    }
    if (!options.watch) return 0;
    return await watchBackfill({ run, queue, store: checkpoints.store, budgetOf, signal: options.signal });
  } finally {
    await queue.client.close();
    await checkpoints.close();
  }
}

/**
 * What the real command would do that a dry run cannot show by enqueuing: go on with a stopped run
 * of the same range (which no overlap refuses), refuse one being sent, or refuse a repeat.
 */
function dryRunVerdict(
  runs: readonly BackfillRun[],
  fresh: BackfillRun,
  overlaps: readonly RunOverlap[],
  again: boolean,
  nowMs: number,
): string | undefined {
  const run = unfinishedRunLike(runs, fresh);
  const state = run && enqueueState(run, nowMs);
  if (run && state && state.kind !== "complete") {
    const sent = `${fmt(state.sent)} of ${fmt(run.windows)} windows sent`;
    return state.kind === "sending"
      ? `be refused while backfill ${run.id} of this range is being enqueued by another process (${sent})`
      : `go on with backfill ${run.id}, whose enqueue stopped after ${sent}, sending the rest`;
  }
  return overlaps.length > 0 && !again ? "be refused without --again" : undefined;
}

/**
 * The run this backfill goes on with, if an earlier one of the same range and queries stopped
 * part-way through its enqueue (its process died): its remaining windows are sent under its ids.
 * One still being enqueued by another process is refused rather than joined.
 */
function unfinishedRun(runs: readonly BackfillRun[], like: BackfillRun, nowMs: number): BackfillRun | undefined {
  const run = unfinishedRunLike(runs, like);
  if (!run) return undefined;
  const state = enqueueState(run, nowMs);
  if (state.kind === "complete") return undefined;
  const sent = `${fmt(state.sent)} of ${fmt(run.windows)} windows sent`;
  if (state.kind === "sending") {
    throw new UsageError(
      `backfill ${run.id} of this range is being enqueued by another process (${sent}, the last ${duration(state.sinceMs)} ago): ` +
        "follow it with `xdr-relay backfill status --watch`; if that process died, run this again in a minute to send the rest",
    );
  }
  console.log(`going on with backfill ${run.id}, whose enqueue stopped after ${sent}: sending the rest under its message ids`);
  return run;
}

/**
 * The recorded backfills, for a dry run: a store that does not exist yet is not created (nothing
 * was recorded), and one that cannot be opened or read is a string saying why, not a failure.
 */
async function earlierRunsForDryRun(config: RelayConfig): Promise<BackfillRun[] | string> {
  if (config.checkpoint.kind === "sqlite" && !existsSync(checkpointFile(config))) return [];
  let checkpoints: ReturnType<typeof openCheckpointStore> | undefined;
  try {
    checkpoints = openCheckpointStore(config, { changesNothing: "`backfill --dry-run`" });
    return await readBackfillRuns(checkpoints.store);
  } catch (error) {
    return describeError(error);
  } finally {
    await checkpoints?.close();
  }
}

/**
 * What an enqueue that did not finish leaves the operator: the way to go on. Ctrl-C ends the
 * command ("stopped", exit 130), a cancel from elsewhere too ("cancelled", exit 1, nothing to go
 * on with); any other failure is rethrown after the hint.
 */
function stoppedEnqueue(run: BackfillRun, tty: boolean, error: unknown): "stopped" | "cancelled" {
  if (tty) process.stderr.write("\n");
  const hint = `${runAgainHint(run)} to send the rest under its message ids`;
  if (error instanceof EnqueueStopped) {
    console.error(`${error.message}; ${hint}`);
    return "stopped";
  }
  if (error instanceof EnqueueCancelled) {
    console.error(error.message);
    return "cancelled";
  }
  console.error(`backfill ${run.id} stopped before all its windows were enqueued; once the cause below is fixed, ${hint}`);
  throw error;
}

/**
 * The re-sweeps the range's recent windows get, as the scheduler's own windows do: calls too, but
 * spread over the day to come rather than spent with the backfill. (A duplicate history too short
 * for them, under which their rows would land twice, is refused with the configuration.)
 */
function resweepReport(estimate: BackfillEstimate, config: RelayConfig): string[] {
  if (estimate.resweeps === 0) return [];
  const { resweepOffsetsMs } = config.schedule;
  const offsets = resweepOffsetsMs.map((ms) => `+${duration(ms)}`).join(", ");
  return [
    `  + ${fmt(estimate.resweeps)} late-arrival re-sweeps (${offsets} after each window, schedule.resweepOffsetsMs) of the`,
    `    windows whose re-sweep is still to come, scheduled for then, the last ${iso(estimate.lastResweepDueMs ?? 0)}:`,
    "    a call each, when due. Rows already sent are dropped as duplicates; late ones flow through.",
  ];
}

/** `b-20261126T120000Z-3f9a`: when it was asked for, plus a little randomness; safe in a shell and a blob name. */
function runId(nowMs: number): string {
  return `b-${iso(nowMs).replace(/[-:]|\.\d+/g, "")}-${randomBytes(2).toString("hex")}`;
}
