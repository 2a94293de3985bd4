/**
 * The few error classes the pipeline throws across package boundaries. Guards check `name`, not
 * `instanceof`, because `instanceof` breaks when two copies of this package are loaded.
 */
export type RelayErrorCode = "permanent" | "transient" | "throttled" | "config";

export class RelayError extends Error {
  readonly code: RelayErrorCode;
  /** HTTP status of the call that failed, when there was one. */
  readonly status: number | undefined;
  constructor(code: RelayErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options?.status;
  }
}

/** Retrying will not help: the request itself is wrong (bad query, rejected row). */
export class PermanentError extends RelayError {
  override readonly name = "PermanentError";
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super("permanent", message, options);
  }
}

/** A passing fault (5xx, timeout, network): retry with backoff, spending an attempt. */
export class TransientError extends RelayError {
  override readonly name = "TransientError";
  /** A `Retry-After` the service sent with it (a 503 may): the retry waits at least this long. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number; retryAfterMs?: number | undefined }) {
    super("transient", message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The service asked us to slow down. Waiting is not a failure: no attempt is spent. */
export class ThrottledError extends RelayError {
  override readonly name = "ThrottledError";
  /** What the service asked for (`Retry-After`), or undefined when it did not say. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs: number | undefined; cause?: unknown; status?: number }) {
    super("throttled", message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The deployment is misconfigured (missing role, unknown rule id): fix it, do not retry blindly. */
export class ConfigError extends RelayError {
  override readonly name = "ConfigError";
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super("config", message, options);
  }
}

const isNamed =
  <T extends Error>(name: string) =>
  (e: unknown): e is T =>
    e instanceof Error && e.name === name;

export const isPermanentError = isNamed<PermanentError>("PermanentError");
export const isTransientError = isNamed<TransientError>("TransientError");
export const isThrottledError = isNamed<ThrottledError>("ThrottledError");
export const isConfigError = isNamed<ConfigError>("ConfigError");

/** A one-line description of any thrown value, for logs and dead-letter descriptions. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const status = e instanceof RelayError && e.status !== undefined ? ` (HTTP ${e.status})` : "";
    return `${e.name}: ${e.message}${status}`;
  }
  return String(e);
}

/**
 * The result may be incomplete (a result-size 400, a timeout, a "preempted" query, or as many rows
 * as the cap): none of its rows may be used; the window is split instead.
 */
export class TruncatedResultError extends RelayError {
  override readonly name = "TruncatedResultError";
  /**
   * The service, a gateway or our own clock gave up waiting (504, 408, "timed out"): the window
   * may be too heavy, or the service may be down, which a split cannot tell apart. Splits for it
   * spend an attempt, so an outage does not shred a window down to the minimum size.
   */
  readonly timedOut: boolean;
  /**
   * A timeout that says nothing of why (a bare 504): as likely a gateway that is down as a window
   * too heavy. It earns a window one split (on its first attempt), not one at every level.
   */
  readonly unexplained: boolean;
  constructor(message: string, options?: { cause?: unknown; status?: number; timedOut?: boolean; unexplained?: boolean }) {
    super("permanent", message, options);
    this.timedOut = options?.timedOut ?? false;
    this.unexplained = options?.unexplained ?? false;
  }
}

export const isTruncatedResultError = isNamed<TruncatedResultError>("TruncatedResultError");

/**
 * True when the queue says the lock is gone for good: our embedded queue's `MessageLockLostError`
 * and the Service Bus SDK's `ServiceBusError` with code `MessageLockLost` (or `SessionLockLost`).
 * Checks `name`/`code`, not `instanceof`: `core` cannot import the adapters (they re-export this), and `instanceof`
 * breaks across package copies.
 */
export function isLockLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === "MessageLockLostError" || code === "MessageLockLost" || code === "SessionLockLost";
}
