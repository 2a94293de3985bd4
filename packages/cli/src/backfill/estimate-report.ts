import type { BackfillEstimate, CallBudget } from "@xdr-relay/scheduler";
import { duration, fmt, iso } from "./format.ts";

/** What a backfill will cost, in the words an operator decides on, one line per string. */
export function estimateReport(args: {
  estimate: BackfillEstimate;
  fromMs: number;
  toMs: number;
  windowMs: number;
  budget: CallBudget;
}): string[] {
  const { estimate: e, budget } = args;
  const width = Math.max(...e.tenants.map((t) => t.tenant.length));
  const lines = [
    `backfill ${iso(args.fromMs)} → ${iso(args.toMs)} in ${duration(args.windowMs)} windows (grid-aligned)`,
    ...e.tenants.map(
      (t) =>
        `  ${t.tenant.padEnd(width)}  ${t.windowsByQuery.map((q) => `${q.query} ${fmt(q.windows)}`).join(" · ")}` +
        `  = ${fmt(t.minCalls)} calls, ${duration(t.durationMs)} at best`,
    ),
    `  ${fmt(e.windows)} windows in all: at least ${fmt(e.minCalls)} hunting calls, one per window. A window too big`,
    "  for one result is split (each half is another call), and a throttled call is made again.",
    `  At ${fmt(budget.callsPerMinute)} calls/min and ${fmt(budget.callsPerHour)} calls/h per tenant (hunting.callsPerMinute,`,
    `  hunting.callsPerHour; tenants in parallel, each on its own budget): about ${duration(e.durationMs)}, at best.`,
  ];
  if (e.overADay.length > 0) {
    lines.push(
      `  ! more than a day of call budget (${fmt(e.callsPerDay)} calls/day) for ${e.overADay.join(", ")}. Live windows share`,
      "    the windows queue and the budget with the backfill, so live data lags until it is through.",
      "    Consider backfilling a few days per run, or fewer queries.",
    );
  }
  return lines;
}
