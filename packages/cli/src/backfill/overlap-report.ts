import type { RunOverlap } from "@xdr-relay/scheduler";
import { duration, fmt, iso } from "./format.ts";

/**
 * The earlier backfills that already asked for some of this one's windows, one line each, and
 * what asking again costs. Nothing when there are none.
 */
export function overlapReport(overlaps: readonly RunOverlap[], nowMs: number): string[] {
  if (overlaps.length === 0) return [];
  return [
    `  ! earlier backfills already asked for windows of this range, for the same tenants and queries:`,
    ...overlaps.map(
      ({ run, windows }) =>
        `    ${run.id} (${iso(run.fromMs)} → ${iso(run.toMs)}, ${duration(nowMs - run.startedAtMs)} ago): ` +
        `${run.enqueue?.complete === false ? "up to " : ""}${fmt(windows)} of them`,
    ),
    "    Asked for again, each costs its hunting call again; rows already sent are dropped as duplicates.",
  ];
}

/** Why a backfill that overlaps earlier ones is not enqueued without `--again`. */
export const overlapRefusal =
  "this backfill would fetch again windows that earlier backfills asked for (listed above): " +
  "pass --again to fetch them anyway (after fixing a query, say), or narrow --from/--to";
