import {
  completed,
  deadLetter,
  decideRetry,
  describeError,
  isConfigError,
  type Outcome,
  type RelayError,
  retryCounts,
} from "@xdr-relay/core";
import type { PreparedRow } from "./prepare-row.ts";
import type { SinkDeps } from "./sink-deps.ts";
import { uploadBatch } from "./upload-batch.ts";
import { type UploadFailure, uploadVerdict } from "./upload-verdict.ts";

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
  const failure = await upload(deps, stream, batch);
  if (!failure) return accepted(deps, stream, batch);
  await failed(deps, stream, batch, failure);
}

function upload(deps: SinkDeps, stream: string, batch: readonly PendingRow[]) {
  return uploadBatch(
    deps,
    stream,
    batch.map((e) => e.record),
  );
}

function accepted(deps: SinkDeps, stream: string, batch: readonly PendingRow[]): void {
  deps.configFault?.cleared();
  deps.rejections?.accepted(stream);
  deps.metrics.increment("batchUploaded");
  deps.metrics.increment("rowsIngested", batch.length);
  for (const e of batch) e.report(completed);
}

async function failed(deps: SinkDeps, stream: string, batch: readonly PendingRow[], failure: UploadFailure): Promise<void> {
  if (failure.stopped) return putBack(deps, stream, batch);
  deps.metrics.increment("batchUploadFailed");
  const verdict = uploadVerdict(failure, deps.now());
  if (verdict.kind === "fail" && isConfigError(verdict.error)) {
    deps.configFault?.report({ status: failure.status, dcrId: deps.dcrId, stream, message: failure.message });
  }
  if (verdict.kind === "fail") return retryOrGiveUp(deps, stream, batch, verdict.error);
  if (batch.length === 1) {
    const why = `${failure.status}: ${failure.message}`;
    if (verdict.kind === "bisect") deps.rejections?.rejected(stream, 1, why);
    deps.metrics.increment("rowsDeadLettered");
    const description = `${destination(deps, stream)}: ${why}${verdict.kind === "split" ? tooLargeFix : ""}`;
    (batch[0] as PendingRow).report(deadLetter(verdict.kind === "split" ? "RowTooLarge" : "IngestionRejected", description));
    return;
  }
  if (verdict.kind === "bisect" && deps.rejections?.refusesEveryRow(stream)) return probeHalves(deps, stream, batch);
  const mid = Math.ceil(batch.length / 2);
  deps.logger.info(verdict.kind === "split" ? "batchSplit" : "batchBisected", { stream, rows: batch.length, why: verdict.why });
  await deliver(deps, stream, batch.slice(0, mid));
  await deliver(deps, stream, batch.slice(mid));
}

/**
 * A batch rejected (400) of a stream whose rows have all been rejected of late (`StreamRejections`).
 * Its halves are uploaded; one accepted means the stream takes rows after all, and the other half
 * is bisected as usual. Both rejected proves only that each holds a rejected row (a run of bad rows
 * in one result can make a streak too), so one row of each is tried alone: either accepted, the
 * rest is bisected as usual; both rejected, the rest of each half is dead-lettered whole. 5 calls
 * for a batch of a refused stream instead of up to 2n − 1.
 */
async function probeHalves(deps: SinkDeps, stream: string, batch: readonly PendingRow[]): Promise<void> {
  const mid = Math.ceil(batch.length / 2);
  const halves = [batch.slice(0, mid), batch.slice(mid)];
  const failures: (UploadFailure | undefined)[] = [];
  for (const half of halves) failures.push(await upload(deps, stream, half));
  // Accepted first: that ends the stream's streak before a rejected half is judged.
  for (const [i, half] of halves.entries()) if (failures[i] === undefined) accepted(deps, stream, half);
  const bothRejected = failures.every((f) => f !== undefined && uploadVerdict(f, deps.now()).kind === "bisect");
  if (!bothRejected) {
    for (const [i, half] of halves.entries()) {
      const failure = failures[i];
      if (failure !== undefined) await failed(deps, stream, half, failure);
    }
    return;
  }
  deps.metrics.increment("batchUploadFailed", 2);
  const samples = halves.map((half) => half[Math.floor(half.length / 2)] as PendingRow);
  for (const sample of samples) await deliver(deps, stream, [sample]);
  for (const [i, half] of halves.entries()) {
    const rest = half.filter((e) => e !== samples[i]);
    if (rest.length === 0) continue;
    if (deps.rejections?.refusesEveryRow(stream)) rejectWhole(deps, stream, rest, failures[i] as UploadFailure);
    else await deliver(deps, stream, rest);
  }
}

/** Dead-letters rows of a refused stream without looking for the rejected ones among them (replayable). */
function rejectWhole(deps: SinkDeps, stream: string, rows: readonly PendingRow[], failure: UploadFailure): void {
  const why = `${failure.status}: ${failure.message}`;
  deps.rejections?.rejected(stream, rows.length, why);
  deps.metrics.increment("rowsDeadLettered", rows.length);
  const note = ` (dead-lettered without being tried alone: the rule has rejected every row of ${stream} of late)`;
  for (const e of rows) e.report(deadLetter("IngestionRejected", `${destination(deps, stream)}: ${why}${note}`));
}

function retryOrGiveUp(deps: SinkDeps, stream: string, batch: readonly PendingRow[], error: RelayError): void {
  const description = describeError(error);
  deps.logger.warn("batchUploadFailed", { stream, rows: batch.length, error: description });
  deps.metrics.increment("rowsRetried", batch.length);
  // One jitter for the whole batch: rows that failed together come back due together, and go up
  // in one call again. Jittered each on its own, a 40-row batch throttled five times came back as
  // 41 calls against a rule that was already refusing them.
  const jitter = Math.random();
  const random = () => jitter;
  for (const e of batch) {
    const { attempt: attemptsSpent, throttles: throttlesSpent } = e.message;
    const decision = decideRetry({ error, attemptsSpent, throttlesSpent, maxAttempts: deps.maxAttempts, random });
    if (decision.kind === "giveUp") {
      deps.metrics.increment("rowsDeadLettered");
      e.report(deadLetter("IngestionFailed", `${decision.why}: ${destination(deps, stream)}: ${description}`));
      continue;
    }
    const retryBody = { ...e.message, ...retryCounts(e.message, error, decision) };
    e.report({ kind: "retry", delayMs: decision.delayMs, reason: description, retryBody });
  }
}

/**
 * The sink stopped before this batch's upload had an answer: its rows go back to the queue as they
 * came, due at once and no attempt spent, as a stopped fetcher's window does. A call given up in
 * flight may still have landed: the next upload lands its rows again under the same RowId.
 */
function putBack(deps: SinkDeps, stream: string, batch: readonly PendingRow[]): void {
  deps.logger.warn("batchPutBack", {
    stream,
    rows: batch.length,
    why: "the sink stopped before the upload had an answer; a call given up in flight may have landed (fold by RowId)",
  });
  deps.metrics.increment("rowsPutBack", batch.length);
  for (const e of batch)
    e.report({ kind: "retry", delayMs: 0, reason: "stopped before its upload had an answer", retryBody: e.message });
}

/** Where a dead-lettered row was going: what an operator looks up first (`dlq list` shows it). */
function destination(deps: SinkDeps, stream: string): string {
  return `stream ${stream} of rule ${deps.dcrId}`;
}

/** A 413 for one record: splitting cannot help, and neither can a replay. */
const tooLargeFix =
  " (this one record is over the service's 1 MB: project fewer columns in its query, then fetch its window again with backfill --again)";
