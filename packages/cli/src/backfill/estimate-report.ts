import { type CallBudget, huntingRetentionMs, sameCallBudget } from "@xdr-relay/core";
import type { BackfillEstimate, TenantEstimate } from "@xdr-relay/scheduler";
import { duration, fmt, iso } from "./format.ts";

/** What a backfill will cost, in the words an operator decides on, one line per string. */
export function estimateReport(args: {
  estimate: BackfillEstimate;
  fromMs: number;
  toMs: number;
  windowMs: number;
  /**
   * What a backfill of a tenant with the default `hunting.*` budget draws on (`backfillCallBudget`:
   * less the live reserve); a tenant line names its budget only where it differs from this one.
   */
  defaultBudget: CallBudget;
  /** Now, to warn of windows whose data Defender drops before the backfill ends; absent: no warning. */
  nowMs?: number;
}): string[] {
  const { estimate: e, defaultBudget: d } = args;
  const width = Math.max(...e.tenants.map((t) => t.tenant.length));
  const ownBudget = (t: TenantEstimate) => !sameCallBudget(t.budget, d);
  const lines = [
    `backfill ${iso(args.fromMs)} → ${iso(args.toMs)} in ${duration(args.windowMs)} windows (grid-aligned)`,
    ...e.tenants.map(
      (t) =>
        `  ${t.tenant.padEnd(width)}  ${t.windowsByQuery.map((q) => `${q.query} ${fmt(q.windows)}`).join(" · ")}` +
        `  = ${fmt(t.minCalls)} calls, ${duration(t.durationMs)} at best` +
        (ownBudget(t) ? ` (from its own budget: ${fmt(t.budget.callsPerMinute)}/min, ${fmt(t.budget.callsPerHour)}/h)` : ""),
    ),
    `  ${fmt(e.windows)} windows in all: at least ${fmt(e.minCalls)} hunting calls, one per window. A window too big`,
    "  for one result is split (each half is another call), and a throttled call is made again.",
    `  At ${fmt(d.callsPerMinute)} calls/min and ${fmt(d.callsPerHour)} calls/h per tenant (hunting.callsPerMinute and`,
    "  callsPerHour less a tenth, kept for live windows; tenants in parallel, each on its own budget):",
    `  about ${duration(e.durationMs)}, at best.`,
  ];
  if (e.tenants.some(ownBudget)) {
    lines.push("  A tenant with its own budget (tenants[].callsPerMinute, callsPerHour) is timed at that budget.");
  }
  const over = e.tenants.filter((t) => e.overADay.includes(t.tenant));
  if (over.length > 0) {
    const each = over.map((t) => `${t.tenant} (${fmt(t.minCalls)} calls, ${fmt(t.callsPerDay)} a day)`);
    lines.push(
      `  ! more than a day of call budget for ${each.join(", ")}.`,
      "    Live windows go first and keep a tenth of the budget, so they do not wait; but consider",
      "    backfilling a few days per run, or fewer queries, to see results sooner.",
    );
  }
  if (args.nowMs !== undefined) lines.push(...expiryWarning(args.fromMs, e.durationMs, args.nowMs));
  return lines;
}

/**
 * Windows are sent oldest first, but a window that has to be split sends its halves behind the
 * rest of the backfill. A half of a window whose data Defender drops (30 days after it) before the
 * backfill ends may come too late and find nothing: said before it is sent, with the way round.
 */
function expiryWarning(fromMs: number, durationMs: number, nowMs: number): string[] {
  const safeFromMs = nowMs - huntingRetentionMs + durationMs;
  if (fromMs >= safeFromMs) return [];
  return [
    `  ! Defender drops a window's data 30 days after it, and this backfill takes about ${duration(durationMs)}:`,
    `    a window before ${iso(safeFromMs)} that has to be split sends its halves behind the rest, and`,
    "    they may find nothing. Backfill those oldest days in a run of their own first (it is short),",
    "    then the rest.",
  ];
}
