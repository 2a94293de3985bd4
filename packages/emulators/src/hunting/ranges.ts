import type { TimeRange } from "@xdr-relay/core";

/** The overlap of half-open ranges; empty (start = end) when they do not meet. */
export function intersect(a: TimeRange, b: TimeRange): TimeRange {
  const startMs = Math.max(a.startMs, b.startMs);
  return { startMs, endMs: Math.max(startMs, Math.min(a.endMs, b.endMs)) };
}
