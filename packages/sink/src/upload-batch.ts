import { callSignal, type LogsIngestion } from "@xdr-relay/core";
import { TokenUnavailableError } from "./ingestion-client.ts";
import type { UploadFailure } from "./upload-verdict.ts";

export interface UploadTarget {
  readonly client: LogsIngestion;
  readonly dcrId: string;
  /** A call that takes longer is abandoned and counted as a failure (the rows are retried). */
  readonly uploadTimeoutMs: number;
  /**
   * Aborted once a stopping sink has waited long enough (`stopGraceMs`): a call in flight is given
   * up, and none starts after, so a stop ends in bounded time even when the service hangs.
   */
  readonly stopDeadline?: AbortSignal;
}

/** What a call given up at the stop deadline reports (`UploadFailure.stopped`). */
const stoppedMessage = "the sink stopped before the upload had an answer";

interface HttpLikeError {
  readonly statusCode?: number;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

/**
 * Uploads one batch in one call (the batch is cut under 1 MB, so the SDK sends it as one chunk:
 * its outcome is the outcome of every row in it). Resolves with the failure, never throws.
 * We do not trust `onError` alone: after an abort, chunks that never started are not reported.
 */
export async function uploadBatch(
  target: UploadTarget,
  stream: string,
  records: Record<string, unknown>[],
): Promise<UploadFailure | undefined> {
  const { stopDeadline } = target;
  if (stopDeadline?.aborted) return { status: undefined, message: stoppedMessage, stopped: true };
  const timeout = AbortSignal.timeout(target.uploadTimeoutMs);
  using call = callSignal(timeout, stopDeadline);
  let reported: Error | undefined;
  try {
    await target.client.upload(target.dcrId, stream, records, {
      maxConcurrency: 1,
      abortSignal: call.signal,
      onError: (failure) => {
        reported = failure.cause;
      },
    });
    return undefined;
  } catch (error) {
    // Given up by us, not answered: whatever the SDK made of the abort.
    if (stopDeadline?.aborted && !timeout.aborted) return { status: undefined, message: stoppedMessage, stopped: true };
    const cause = (reported ?? error) as Error & HttpLikeError;
    // Before the status: an identity failure may carry one of its own (400) that is no answer of the service.
    if (cause instanceof TokenUnavailableError) return { status: undefined, message: cause.message, tokenUnavailable: true };
    return {
      status: typeof cause.statusCode === "number" ? cause.statusCode : undefined,
      message: cause.message ?? String(cause),
      retryAfter: cause.response?.headers?.get("retry-after"),
    };
  }
}
