import { type TimeRange, utcInstantMs } from "@xdr-relay/core";

const dayMs = 86_400_000;
/** Graph's default when a request has no `Timespan`. */
export const defaultTimespanMs = 30 * dayMs;

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
/** Years and months have no fixed length; these are close enough to bound a scan. */
const unitMs = [365 * dayMs, 30 * dayMs, 7 * dayMs, dayMs, 3_600_000, 60_000, 1_000];

/**
 * The range a request's ISO 8601 `Timespan` covers: `start/end`, `P30D/end`, `start/P30D`, `P30D`
 * (ending now) or a start alone (until now); absent means the last 30 days. Taken as half-open like
 * the window filter (*unconfirmed*: whether Graph includes the end instant; the filter decides anyway).
 * Returns undefined when the text is not one of those forms.
 */
export function parseTimespan(text: string | undefined, nowMs: number): TimeRange | undefined {
  if (text === undefined || text.trim() === "") return { startMs: nowMs - defaultTimespanMs, endMs: nowMs };
  const parts = text.trim().split("/");
  if (parts.length > 2) return undefined;
  const [first = "", second] = parts;
  if (second === undefined) {
    const span = durationMs(first);
    if (span !== undefined) return { startMs: nowMs - span, endMs: nowMs };
    const start = instantMs(first);
    return start === undefined ? undefined : { startMs: start, endMs: nowMs };
  }
  const [startMs, endMs] = [instantMs(first), instantMs(second)];
  if (startMs !== undefined && endMs !== undefined) return ordered(startMs, endMs);
  const [before, after] = [durationMs(first), durationMs(second)];
  if (before !== undefined && endMs !== undefined) return { startMs: endMs - before, endMs };
  if (startMs !== undefined && after !== undefined) return { startMs, endMs: startMs + after };
  return undefined;
}

function ordered(startMs: number, endMs: number): TimeRange | undefined {
  return startMs <= endMs ? { startMs, endMs } : undefined;
}

function instantMs(text: string): number | undefined {
  const ms = utcInstantMs(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || m.slice(1).every((part) => part === undefined) || /T$/i.test(text)) return undefined;
  return m.slice(1).reduce((sum, part, i) => sum + (part === undefined ? 0 : Number(part) * (unitMs[i] ?? 0)), 0);
}
