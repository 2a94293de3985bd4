import { utcInstantMs } from "./utc-instant.ts";
import type { TimeRange } from "./window-grid.ts";

/**
 * The window's time filter, appended to the user's query. Half-open: a row stamped exactly on an
 * edge belongs to the later window only. The query must keep the `Timestamp` column.
 */
export function windowFilter(range: TimeRange): string {
  const start = new Date(range.startMs).toISOString();
  const end = new Date(range.endMs).toISOString();
  return `| where Timestamp >= datetime(${start}) and Timestamp < datetime(${end})`;
}

export function windowedQuery(kql: string, range: TimeRange): string {
  return `${kql.trim()}\n${windowFilter(range)}`;
}

/**
 * The request's `Timespan` (ISO 8601 `start/end`). It covers the window so the service scans no
 * more than it must; the `where` clause above is what makes the range exact and half-open.
 */
export function windowTimespan(range: TimeRange): string {
  return `${new Date(range.startMs).toISOString()}/${new Date(range.endMs).toISOString()}`;
}

const FILTER = /Timestamp\s*>=\s*datetime\(([^)]+)\)\s+and\s+Timestamp\s*<\s*datetime\(([^)]+)\)/i;

/** Reads the range back out of a windowed query (for emulators and logs); undefined if absent. */
export function parseWindowFilter(kql: string): TimeRange | undefined {
  const m = FILTER.exec(kql);
  if (!m?.[1] || !m[2]) return undefined;
  const startMs = utcInstantMs(m[1]);
  const endMs = utcInstantMs(m[2]);
  return Number.isNaN(startMs) || Number.isNaN(endMs) ? undefined : { startMs, endMs };
}
