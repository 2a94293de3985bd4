import { isConfigError, isPermanentError, isThrottledError, isTransientError } from "../errors.ts";
import { type BackoffPolicy, backoffMs, defaultBackoff } from "./backoff.ts";

/** How long to wait when the deployment is misconfigured: long enough not to hammer, short enough to resume soon after the fix. */
export const configFaultDelayMs = 60_000;

export type RetryDecision =
  | { readonly kind: "retry"; readonly delayMs: number; readonly spendsAttempt: boolean; readonly why: string }
  | { readonly kind: "giveUp"; readonly why: string };

/**
 * Retry or give up, for one failed attempt. `attemptsSpent` counts attempts before this one.
 * - throttled: wait `Retry-After` (at most `maxRetryAfterMs`), or when absent back off on the
 *   throttles so far (`throttlesSpent`: without them the delay would never grow, and a throttled
 *   message would knock every second), and retry without spending an attempt;
 * - transient: back off (at least its `Retry-After`, which a 503 may carry) and retry until
 *   `maxAttempts` attempts were spent, then give up;
 * - config: wait and retry without spending an attempt (burning the backlog's attempts on a missing
 *   role assignment would dead-letter everything for one fixable fault);
 * - permanent or unknown: give up now.
 */
export function decideRetry(args: {
  error: unknown;
  attemptsSpent: number;
  /** Throttles before this one (a message's `throttles`), 0 when absent. */
  throttlesSpent?: number;
  maxAttempts: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}): RetryDecision {
  const { error, attemptsSpent, maxAttempts } = args;
  const policy = args.backoff ?? defaultBackoff;
  if (isThrottledError(error)) {
    const delayMs = error.retryAfterMs ?? backoffMs(attemptsSpent + (args.throttlesSpent ?? 0) + 1, policy, args.random);
    return { kind: "retry", delayMs, spendsAttempt: false, why: "throttled" };
  }
  if (isConfigError(error)) {
    return { kind: "retry", delayMs: configFaultDelayMs, spendsAttempt: false, why: "configuration fault" };
  }
  if (isTransientError(error)) {
    const spent = attemptsSpent + 1;
    if (spent >= maxAttempts) return { kind: "giveUp", why: `failed ${spent} of ${maxAttempts} attempts` };
    const delayMs = Math.max(backoffMs(spent, policy, args.random), error.retryAfterMs ?? 0);
    return { kind: "retry", delayMs, spendsAttempt: true, why: "transient failure" };
  }
  if (isPermanentError(error)) return { kind: "giveUp", why: "permanent failure" };
  return { kind: "giveUp", why: "unexpected error" };
}

/**
 * The counts a retry copy carries: an attempt more when the decision spends one, a throttle more
 * when the failure was one (`throttles` drives the backoff of a 429 without `Retry-After`).
 */
export function retryCounts(
  spent: { readonly attempt: number; readonly throttles?: number | undefined },
  error: unknown,
  decision: Extract<RetryDecision, { kind: "retry" }>,
): { attempt: number; throttles?: number } {
  const attempt = spent.attempt + (decision.spendsAttempt ? 1 : 0);
  return isThrottledError(error) ? { attempt, throttles: (spent.throttles ?? 0) + 1 } : { attempt };
}

/**
 * The longest wait a `Retry-After` is taken for: an hour, the longest quota period either API
 * counts in (Graph's 1,500 calls an hour). A longer one, a garbled or hostile header, would park a
 * message for years without a word; capped, it is tried again and throttled again if need be.
 */
export const maxRetryAfterMs = 3_600_000;

/**
 * `Retry-After` as milliseconds (at most `maxRetryAfterMs`): delta-seconds or an HTTP date.
 * Undefined when absent or unreadable, so the caller backs off on its own instead of trusting a
 * garbled header.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(maxRetryAfterMs, Math.round(Number(text) * 1000));
  // Every HTTP-date form carries a clock time; without this check V8's lenient `Date.parse` reads
  // garbage such as "-5" or "soon 5" as a date in 2001, i.e. "retry now".
  if (!/\d{1,2}:\d{2}:\d{2}/.test(text)) return undefined;
  // The asctime form ("Thu Nov 26 10:00:30 2026") names no zone but means GMT; `Date.parse` would
  // read it in the process's local time.
  const at = Date.parse(/(GMT|UTC|Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.min(maxRetryAfterMs, Math.max(0, at - nowMs));
}
