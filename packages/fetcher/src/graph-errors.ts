import { errorForStatus, parseRetryAfterMs, type RelayError, ThrottledError, TruncatedResultError } from "@xdr-relay/core";

/** The hunting API's error body, `{"error":{"code","message"}}`, read defensively. */
function errorText(body: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return { code: String(parsed.error?.code ?? ""), message: String(parsed.error?.message ?? body) };
  } catch {
    return { code: "", message: body.slice(0, 500) };
  }
}

/**
 * Texts that mean "this window held too much". Matched as phrases, not words: a bad query that
 * merely names a column `timeout` must stay a `BadQuery`, not split down to the minimum size.
 */
const timeoutHints = [/\btimed out\b/i, /gateway time-?out/i];
const truncationHints = [/exceeded the allowed result size/i, /\bpreempted\b/i, ...timeoutHints];

/**
 * Turns a failed hunting response into one of our errors. A result-size 400, a timeout or a
 * "preempted" query means the window held too much: `TruncatedResultError` (the caller splits).
 * A 504 is a timeout whatever its text says: it is a gateway that stopped waiting for the query
 * (Graph's code for it is `GatewayTimeout`), and the service's 3-minute limit on a heavy window may
 * come back as one. Retried whole, such a window would time out at every attempt and never land.
 * One that says nothing of why (`unexplained`) splits a window only on its first attempt, then is
 * retried with backoff (see `timedOut` in window-handler.ts): a gateway that is simply down costs a
 * window 9 calls and 2 dead letters (default 5 attempts), not 31 calls and 16.
 * A 429 says in its text whether the call quota or the CPU quota ran out.
 */
export function huntingError(status: number, body: string, retryAfter: string | null, nowMs: number): RelayError {
  const { code, message } = errorText(body);
  const text = `${code ? `${code}: ` : ""}${message}`;
  if (status === 504 || ((status === 400 || status === 408) && truncationHints.some((h) => h.test(message)))) {
    const timedOut = status !== 400 || timeoutHints.some((h) => h.test(message));
    const unexplained = status === 504 && !truncationHints.some((h) => h.test(message));
    return new TruncatedResultError(text, { status, timedOut, unexplained });
  }
  if (status === 429) {
    const quota = /cpu/i.test(message) ? "CPU quota" : "call quota";
    return new ThrottledError(`${quota}: ${text}`, { retryAfterMs: parseRetryAfterMs(retryAfter, nowMs), status });
  }
  return errorForStatus(status, text, parseRetryAfterMs(retryAfter, nowMs));
}
