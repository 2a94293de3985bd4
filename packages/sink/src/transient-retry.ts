import { type PipelinePolicy, type RetryStrategy, retryPolicy } from "@azure/core-rest-pipeline";

/** What core-rest-pipeline's exponential policy retries: 408 and 5xx, except 501 and 505. */
function isTransientStatus(status: number): boolean {
  return (status === 408 || status >= 500) && status !== 501 && status !== 505;
}

/** What its system-error policy retries: the connection failed before any answer. */
const networkErrorCodes = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNREFUSED", "ECONNRESET", "ENOENT", "ENOTFOUND"]);

/**
 * An answer that says how long to wait (a 429 or 503 with a wait it can read, as core-rest-pipeline
 * tells throttling apart): the sink's to wait out, spending no attempt.
 */
function isThrottled(response: { status: number; headers: { get(name: string): string | undefined } }): boolean {
  if (response.status !== 429 && response.status !== 503) return false;
  const readable = (value: string | undefined, asDate: boolean) =>
    value !== undefined && (Number.isFinite(Number(value)) || (asDate && Number.isFinite(Date.parse(value))));
  return (
    readable(response.headers.get("retry-after-ms"), false) ||
    readable(response.headers.get("x-ms-retry-after-ms"), false) ||
    readable(response.headers.get("retry-after"), true)
  );
}

const firstDelayMs = 1_000;
const maxDelayMs = 64_000;

/**
 * Retries, with one budget of `maxRetries` for both, what the SDK's exponential and system-error
 * policies retried each with its own: a transient status (no Retry-After) and a network error.
 * Chained, the two budgets multiplied: with resets and 503s alternating, one upload made up to
 * 16 sends where 4 were meant. Delays as core-rest-pipeline's: doubling from 1 s, at most 64 s,
 * each between half and all of that (jitter).
 */
export function transientRetryPolicy(options: { maxRetries: number }): PipelinePolicy {
  const strategy: RetryStrategy = {
    name: "xdrRelayTransientRetryStrategy",
    retry({ retryCount, response, responseError }) {
      const transient =
        response !== undefined
          ? isTransientStatus(response.status) && !isThrottled(response)
          : networkErrorCodes.has(responseError?.code ?? "");
      if (!transient) return { skipStrategy: true };
      const ceilingMs = Math.min(maxDelayMs, firstDelayMs * 2 ** retryCount);
      return { retryAfterInMs: ceilingMs / 2 + Math.random() * (ceilingMs / 2) };
    },
  };
  return { ...retryPolicy([strategy], options), name: transientRetryPolicyName };
}

export const transientRetryPolicyName = "xdrRelayTransientRetryPolicy";
