/**
 * One scripted answer for the next upload call. `emulator.faults` is a FIFO queue: each call to the
 * upload route takes the head (SDK retries are calls too, so `{status: 503}` twice fails one upload
 * twice). Examples: `{status: 429, retryAfterSeconds: 1}`, `{status: 429}` (no `Retry-After`: the
 * SDK does not retry it), `{status: 503}`, `{delayMs: 3000}`, `{status: 400, message: "…"}`.
 */
export interface IngestionFault {
  /** Answer with this status (and the service's error body for it) instead of ingesting. */
  readonly status?: number;
  /** Sent as `Retry-After`. The real service sends whole seconds; fractions keep tests fast (the SDK accepts them). */
  readonly retryAfterSeconds?: number;
  /** Replaces the default error message for `status`. */
  readonly message?: string;
  /**
   * Wait this long before answering. Without `status` the call is then ingested as usual, even if
   * the client gave up meanwhile: like Azure, a timed-out call may still have landed.
   */
  readonly delayMs?: number;
  /** Destroy the connection instead of answering (a network error the SDK retries). */
  readonly resetConnection?: boolean;
}

/** A record is poisoned when this returns a reason: the whole call is answered 400, nothing lands. */
export type IngestionRejectWhen = (record: Readonly<Record<string, unknown>>) => string | undefined;

/** The first poisoned record's reason, if any: the service rejects the call as a whole. */
export function poisonReason(
  records: readonly Record<string, unknown>[],
  rejectWhen: IngestionRejectWhen | undefined,
): string | undefined {
  if (rejectWhen === undefined) return undefined;
  for (const [index, record] of records.entries()) {
    const reason = rejectWhen(record);
    if (reason !== undefined) return `Record ${index} was rejected: ${reason}`;
  }
  return undefined;
}
