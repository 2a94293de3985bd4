import { ConfigError, errorForStatus, parseRetryAfterMs, type RelayError, TransientError } from "@xdr-relay/core";

/**
 * What to do with a batch whose upload failed, by the service's answer. One table, pure:
 * - 413: the batch is too large, upload its halves;
 * - 400: something in the batch is rejected, bisect to find the rows, send the rest;
 * - no token for the sink's identity: a configuration fault, as 401/403/404 (the sink pauses);
 * - anything else: the error class decides retry or give up (`decideRetry`), per message.
 */
export type UploadVerdict =
  | { readonly kind: "split"; readonly why: string }
  | { readonly kind: "bisect"; readonly why: string }
  | { readonly kind: "fail"; readonly error: RelayError };

export interface UploadFailure {
  /** HTTP status, undefined for network errors, timeouts and aborts. */
  readonly status: number | undefined;
  readonly message: string;
  readonly retryAfter?: string | null | undefined;
  /** The call never went out: the sink's identity got no token (`TokenUnavailableError`). */
  readonly tokenUnavailable?: boolean;
  /** Given up at the stop deadline, or not made after it: no verdict on the rows (`deliver` puts them back). */
  readonly stopped?: boolean;
}

export function uploadVerdict(failure: UploadFailure, nowMs: number): UploadVerdict {
  const { status, message } = failure;
  if (failure.tokenUnavailable) return { kind: "fail", error: new ConfigError(message) };
  if (status === undefined) return { kind: "fail", error: new TransientError(`upload failed without an answer: ${message}`) };
  if (status === 413) return { kind: "split", why: message };
  if (status === 400) return { kind: "bisect", why: message };
  return { kind: "fail", error: errorForStatus(status, withFix(status, message), parseRetryAfterMs(failure.retryAfter, nowMs)) };
}

/** Operator messages say what to do, not only what broke. */
function withFix(status: number, message: string): string {
  if (status === 401 || status === 403) {
    return `${message} — give the sink's identity the "Monitoring Metrics Publisher" role on the data collection rule (a new grant can take 30 min to apply)`;
  }
  if (status === 404)
    return `${message} — check ingestion.dcrId (the rule's immutable id), that the rule declares the stream, and that ingestion.endpoint is in the rule's region`;
  return message;
}
