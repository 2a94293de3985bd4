/** Calls one tenant may make per sliding minute and per sliding hour. */
export interface CallLimits {
  readonly callsPerMinute: number;
  readonly callsPerHour: number;
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly waitMs: number };

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

/**
 * Whether one more call fits, given the instants of the calls already made (ascending). A call made
 * at t counts in every window `(now - span, now]` that holds t, so it frees its slot at t + span.
 * When refused, `waitMs` is how long until both the minute and the hour have a free slot.
 */
export function admitCall(callsMs: readonly number[], nowMs: number, limits: CallLimits): Admission {
  const waits = [waitFor(callsMs, nowMs, minuteMs, limits.callsPerMinute), waitFor(callsMs, nowMs, hourMs, limits.callsPerHour)];
  const waitMs = Math.max(...waits);
  return waitMs === 0 ? { admitted: true } : { admitted: false, waitMs };
}

/** 0 when the span has a free slot, else the time until its oldest blocking call leaves it. */
function waitFor(callsMs: readonly number[], nowMs: number, spanMs: number, limit: number): number {
  const inSpan = callsMs.filter((t) => t > nowMs - spanMs);
  if (inSpan.length < limit) return 0;
  // The (n - limit)-th oldest call in the span must leave it before one more call fits.
  const blocking = inSpan[inSpan.length - limit] as number;
  return blocking + spanMs - nowMs;
}

/** Forgets calls older than the longest span: they no longer count against anything. */
export function pruneCalls(callsMs: readonly number[], nowMs: number): number[] {
  return callsMs.filter((t) => t > nowMs - hourMs);
}
