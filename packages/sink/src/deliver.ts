import { completed, deadLetter, decideRetry, describeError, isConfigError, type Outcome, type RelayError } from "@xdr-relay/core";
import type { PreparedRow } from "./prepare-row.ts";
import type { SinkDeps } from "./sink-deps.ts";
import { uploadBatch } from "./upload-batch.ts";
import { uploadVerdict } from "./upload-verdict.ts";

/** A row on its way up, with where its outcome goes (called once, after the upload that carried it). */
export interface PendingRow extends Pick<PreparedRow, "message" | "record" | "bytes"> {
  report(outcome: Outcome): void;
}

/**
 * Uploads a batch; on 413 uploads its halves, on 400 bisects down to the rejected rows. Each row's
 * outcome is reported only once the upload that carried it has an answer: completed after it was
 * accepted, retried or dead-lettered after it failed. Rows of accepted calls are never re-sent.
 */
export async function deliver(deps: SinkDeps, stream: string, batch: readonly PendingRow[]): Promise<void> {
  const failure = await uploadBatch(
    deps,
    stream,
    batch.map((e) => e.record),
  );
  if (!failure) {
    deps.configFault?.cleared();
    deps.metrics.increment("batchUploaded");
    deps.metrics.increment("rowsIngested", batch.length);
    for (const e of batch) e.report(completed);
    return;
  }
  deps.metrics.increment("batchUploadFailed");
  const verdict = uploadVerdict(failure, deps.now());
  if (verdict.kind === "fail" && isConfigError(verdict.error)) {
    deps.configFault?.report({ status: failure.status, dcrId: deps.dcrId, stream, message: failure.message });
  }
  if (verdict.kind === "fail") return retryOrGiveUp(deps, stream, batch, verdict.error);
  if (batch.length === 1) {
    const reason = verdict.kind === "split" ? "RowTooLarge" : "IngestionRejected";
    deps.metrics.increment("rowsDeadLettered");
    (batch[0] as PendingRow).report(deadLetter(reason, `${failure.status}: ${failure.message}`));
    return;
  }
  const mid = Math.ceil(batch.length / 2);
  deps.logger.info(verdict.kind === "split" ? "batchSplit" : "batchBisected", { stream, rows: batch.length, why: verdict.why });
  await deliver(deps, stream, batch.slice(0, mid));
  await deliver(deps, stream, batch.slice(mid));
}

function retryOrGiveUp(deps: SinkDeps, stream: string, batch: readonly PendingRow[], error: RelayError): void {
  const description = describeError(error);
  deps.logger.warn("batchUploadFailed", { stream, rows: batch.length, error: description });
  deps.metrics.increment("rowsRetried", batch.length);
  for (const e of batch) {
    const decision = decideRetry({ error, attemptsSpent: e.message.attempt, maxAttempts: deps.maxAttempts });
    if (decision.kind === "giveUp") {
      deps.metrics.increment("rowsDeadLettered");
      e.report(deadLetter("IngestionFailed", `${decision.why}: ${description}`));
      continue;
    }
    const attempt = e.message.attempt + (decision.spendsAttempt ? 1 : 0);
    e.report({ kind: "retry", delayMs: decision.delayMs, reason: description, retryBody: { ...e.message, attempt } });
  }
}
