import { ConfigError, PermanentError, type RelayError, ThrottledError, TransientError } from "../errors.ts";

/**
 * The error class for a failed HTTP call, by status. One table for both APIs we call; callers
 * handle their API's special cases (a result-size 400, a 413) before falling back to this.
 */
export function errorForStatus(status: number, message: string, retryAfterMs?: number): RelayError {
  const options = { status };
  if (status === 429) return new ThrottledError(message, { retryAfterMs, status });
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) {
    return new TransientError(message, { ...options, retryAfterMs });
  }
  if (status === 401 || status === 403 || status === 404) return new ConfigError(message, options);
  return new PermanentError(message, options);
}
