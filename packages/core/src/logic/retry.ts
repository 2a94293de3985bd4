import { isConfigError, isPermanentError, isThrottledError, isTransientError } from "../errors.ts";
import { type BackoffPolicy, backoffMs, defaultBackoff } from "./backoff.ts";

/** How long to wait when the deployment is misconfigured: long enough not to hammer, short enough to resume soon after the fix. */
export const configFaultDelayMs = 60_000;

export type RetryDecision =
  | { readonly kind: "retry"; readonly delayMs: number; readonly spendsAttempt: boolean; readonly why: string }
  | { readonly kind: "giveUp"; readonly why: string };

/**
 * Retry or give up, for one failed attempt. `attemptsSpent` counts attempts before this one.
 * - throttled: wait `Retry-After` (or back off when absent) and retry without spending an attempt;
 * - transient: back off and retry until `maxAttempts` attempts were spent, then give up;
 * - config: wait and retry without spending an attempt (burning the backlog's attempts on a missing
 *   role assignment would dead-letter everything for one fixable fault);
 * - permanent or unknown: give up now.
 */
export function decideRetry(args: {
  error: unknown;
  attemptsSpent: number;
  maxAttempts: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}): RetryDecision {
  const { error, attemptsSpent, maxAttempts } = args;
  const policy = args.backoff ?? defaultBackoff;
  if (isThrottledError(error)) {
    const delayMs = error.retryAfterMs ?? backoffMs(attemptsSpent + 1, policy, args.random);
    return { kind: "retry", delayMs, spendsAttempt: false, why: "throttled" };
  }
  if (isConfigError(error)) {
    return { kind: "retry", delayMs: configFaultDelayMs, spendsAttempt: false, why: "configuration fault" };
  }
  if (isTransientError(error)) {
    const spent = attemptsSpent + 1;
    if (spent >= maxAttempts) return { kind: "giveUp", why: `failed ${spent} of ${maxAttempts} attempts` };
    return { kind: "retry", delayMs: backoffMs(spent, policy, args.random), spendsAttempt: true, why: "transient failure" };
  }
  if (isPermanentError(error)) return { kind: "giveUp", why: "permanent failure" };
  return { kind: "giveUp", why: "unexpected error" };
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable,
 * so the caller backs off on its own instead of trusting a garbled header.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Every HTTP-date form carries a clock time; without this check V8's lenient `Date.parse` reads
  // garbage such as "-5" or "soon 5" as a date in 2001, i.e. "retry now".
  if (!/\d{1,2}:\d{2}:\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
