import { queueNames, type RelayConfig } from "@xdr-relay/core";
import type { BackfillRun } from "@xdr-relay/scheduler";
import { duration, fmt, iso } from "../backfill/format.ts";
import { runAgainHint } from "../backfill/progress-line.ts";
import type { QueueDepth } from "../wiring/open-queue.ts";
import type { RoleFault } from "./role-faults.ts";
import type { PassFreshness } from "./schedule-freshness.ts";

/** One queue as `status` shows it; `depth` is undefined where the backend cannot count cheaply. */
export interface QueueStatus {
  readonly name: string;
  readonly depth: QueueDepth | undefined;
  /** Since when the oldest message that is due (waiting or in work, not scheduled for later) has been. */
  readonly oldestEnqueuedMs: number | undefined;
}

export interface StatusReport {
  readonly nowMs: number;
  readonly queues: readonly QueueStatus[];
  readonly passes: readonly PassFreshness[];
  readonly backfillRuns: number;
  /** Backfills whose enqueue stopped part-way (see `stoppedRuns`): their other windows are never fetched. */
  readonly stoppedBackfills: readonly StoppedBackfill[];
  /** Roles paused on a configuration fault now (their records in the checkpoint store). */
  readonly faults: readonly RoleFault[];
}

export interface StoppedBackfill {
  readonly id: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly sent: number;
  readonly windows: number;
  readonly tenants: BackfillRun["tenants"];
}

/**
 * How long a due message may wait on a live queue before `status` calls it stuck. Its consumer
 * takes one within seconds when running; a paused sink (a configuration fault) or a stopped
 * fetcher leaves them waiting, which the queue depths alone do not tell from a busy moment.
 */
const stuckAfterMs = 15 * 60_000;

/** Who takes a live queue's messages, and where to look when they wait. The backfill lane may wait on purpose. */
const consumerOf: Readonly<Record<string, string>> = {
  [queueNames.windows]:
    "is the fetcher running (`xdr-relay run`)? Its log says why it is not taking them (a `windowRetried` error)",
  [queueNames.rows]:
    "is the sink running (`xdr-relay run`)? Its log says why it is not taking them (an `ingestionConfigFault` error)",
};

/** What needs an operator, in plain words; empty when all is well (`status --check` exits 1 otherwise). */
export function statusProblems(report: StatusReport): string[] {
  const problems: string[] = [];
  for (const q of report.queues) {
    const dead = q.depth?.deadLettered ?? 0;
    if (dead > 0) problems.push(`${fmt(dead)} dead letter(s) on ${q.name}: see \`xdr-relay dlq list --queue ${q.name}\``);
    const waitedMs = q.oldestEnqueuedMs === undefined ? 0 : report.nowMs - q.oldestEnqueuedMs;
    const consumer = consumerOf[q.name];
    if (consumer && waitedMs > stuckAfterMs) {
      problems.push(`${q.name}: the oldest due message has waited ${duration(waitedMs)}: ${consumer}`);
    }
  }
  for (const f of report.faults) {
    // As long as a message may wait: a fault of a few minutes is a grant still propagating.
    const pausedMs = report.nowMs - f.sinceMs;
    if (pausedMs > stuckAfterMs)
      problems.push(`the ${f.role} has been paused on a configuration fault for ${duration(pausedMs)}: ${f.fix}`);
  }
  for (const p of report.passes) {
    if (p.state !== "behind") continue;
    problems.push(
      `${p.tenant} ${p.query} (${passName(p)}) has had a window due for ${duration(p.overdueMs)} and not enqueued: is the scheduler running, and can it write to the data directory (its log says why it fails)?`,
    );
  }
  for (const b of report.stoppedBackfills) {
    problems.push(
      `backfill ${b.id} stopped enqueueing after ${fmt(b.sent)} of ${fmt(b.windows)} windows: ${runAgainHint(b)} to send the rest`,
    );
  }
  if (report.passes.length > 0 && report.passes.every((p) => p.state === "notStarted")) {
    problems.push("the scheduler has not enqueued anything yet: start `xdr-relay run` (or `--role scheduler`)");
  }
  return problems;
}

/**
 * The human-readable report: queues, then each tenant's queries and passes, then `problems`
 * (`statusProblems(report)`, which the caller also needs for `--check` and `--json`).
 */
export function renderStatus(report: StatusReport, problems: readonly string[], config: Pick<RelayConfig, "schedule">): string[] {
  const { nowMs } = report;
  const lines = ["queues"];
  const width = Math.max(...report.queues.map((q) => q.name.length));
  for (const q of report.queues) {
    if (q.depth === undefined) {
      lines.push(`  ${q.name.padEnd(width)}  (this queue cannot be counted here)`);
      continue;
    }
    const d = q.depth;
    const oldest = q.oldestEnqueuedMs === undefined ? "" : `  oldest due ${duration(nowMs - q.oldestEnqueuedMs)} ago`;
    lines.push(
      `  ${q.name.padEnd(width)}  waiting ${fmt(d.active)}  scheduled ${fmt(d.scheduled)}  in work ${fmt(d.locked)}  ` +
        `dead letters ${fmt(d.deadLettered)}  duplicates dropped ${fmt(d.duplicatesDropped)}${oldest}`,
    );
  }
  const { windowMs, lagMs } = config.schedule;
  lines.push(`schedule (windows of ${duration(windowMs)}, queried ${duration(lagMs)} after they end)`);
  for (const p of report.passes) {
    const where =
      p.enqueuedUntilMs !== undefined
        ? `enqueued up to ${iso(p.enqueuedUntilMs)}`
        : p.nextDueAtMs !== undefined
          ? `first window due ${relative(p.nextDueAtMs, nowMs)}`
          : "not started";
    const state = p.state === "behind" ? `  BEHIND: oldest window due ${duration(p.overdueMs)} ago` : "";
    lines.push(`  ${p.tenant}  ${p.query.padEnd(20)} ${passName(p).padEnd(18)} ${where}${state}`);
  }
  for (const f of report.faults) {
    lines.push(
      `paused: the ${f.role}, on a configuration fault since ${iso(f.sinceMs)} (seen ${duration(nowMs - f.seenAtMs)} ago)`,
    );
  }
  if (report.backfillRuns > 0) lines.push(`backfills recorded: ${report.backfillRuns} (see \`xdr-relay backfill status\`)`);
  lines.push(problems.length === 0 ? "all current, no dead letters" : "needs attention:");
  for (const problem of problems) lines.push(`  - ${problem}`);
  return lines;
}

function relative(atMs: number, nowMs: number): string {
  return atMs > nowMs ? `in ${duration(atMs - nowMs)}` : `${duration(nowMs - atMs)} ago`;
}

function passName(p: PassFreshness): string {
  return p.sweep === 0 ? "first pass" : `re-sweep +${duration(p.offsetMs)}`;
}
