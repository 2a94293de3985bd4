import {
  completed,
  deadLetter,
  decideRetry,
  describeError,
  isConfigError,
  type Logger,
  type Metrics,
  type Outcome,
  type RelayError,
  RowMessage,
  rowTooLargeDescription,
} from "@xdr-relay/core";
import { cutBatches, type Sized } from "./batches.ts";
import type { ConfigFaultPause } from "./config-fault-pause.ts";
import { toRecord } from "./record.ts";
import type { SchemaGuard } from "./schema-drift.ts";
import { type UploadTarget, uploadBatch } from "./upload-batch.ts";
import { uploadVerdict } from "./upload-verdict.ts";

export interface SinkDeps extends UploadTarget {
  readonly batchMaxRows: number;
  readonly batchMaxBytes: number;
  readonly maxAttempts: number;
  readonly maxConcurrency: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Checks records against the configured stream declarations; absent: nothing is checked. */
  readonly schemaGuard?: SchemaGuard;
  /** Told of 401/403/404 and of accepted uploads, so the host can pause receiving meanwhile. */
  readonly configFault?: ConfigFaultPause;
}

/** A parsed row message with its place in the received batch. */
interface Entry {
  readonly index: number;
  readonly message: RowMessage;
  readonly record: Record<string, unknown>;
}

/**
 * Uploads a received batch of row messages and returns one outcome per message. A message's
 * outcome is decided only by the upload that carried it: completed after that upload succeeded,
 * retried or dead-lettered after it failed. Rows in batches that succeeded are never re-sent.
 */
export async function handleRows(deps: SinkDeps, bodies: readonly unknown[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(bodies.length);
  const byStream = new Map<string, Sized<Entry>[]>();
  bodies.forEach((body, index) => {
    const parsed = RowMessage.safeParse(body);
    if (!parsed.success) {
      deps.metrics.increment("rowsDeadLettered");
      outcomes[index] = deadLetter("MalformedMessage", `not a RowMessage: ${parsed.error.message}`);
      return;
    }
    // A stand-in for a row too large for one queue message carries only its keys: uploading it
    // would store a row with its data missing, so it is parked as RowTooLarge up front.
    if (parsed.data.tooLarge !== undefined) {
      deps.metrics.increment("rowsDeadLettered");
      outcomes[index] = deadLetter("RowTooLarge", rowTooLargeDescription(parsed.data, parsed.data.tooLarge));
      return;
    }
    const record = toRecord(parsed.data);
    const drift = schemaDrift(deps, parsed.data.stream, record);
    if (drift !== undefined) {
      outcomes[index] = drift;
      return;
    }
    const list = byStream.get(parsed.data.stream) ?? [];
    list.push({ item: { index, message: parsed.data, record }, bytes: Buffer.byteLength(JSON.stringify(record)) });
    byStream.set(parsed.data.stream, list);
  });
  const jobs = [...byStream].flatMap(([stream, items]) =>
    cutBatches(items, deps.batchMaxRows, deps.batchMaxBytes).map((batch) => () => deliver(deps, stream, batch, outcomes)),
  );
  await runLimited(jobs, deps.maxConcurrency);
  return outcomes;
}

/** Uploads a batch; on 413 uploads its halves, on 400 bisects down to the rejected rows. */
async function deliver(deps: SinkDeps, stream: string, batch: Entry[], outcomes: Outcome[]): Promise<void> {
  const failure = await uploadBatch(
    deps,
    stream,
    batch.map((e) => e.record),
  );
  if (!failure) {
    deps.configFault?.cleared();
    for (const e of batch) outcomes[e.index] = completed;
    deps.metrics.increment("batchUploaded");
    deps.metrics.increment("rowsIngested", batch.length);
    return;
  }
  deps.metrics.increment("batchUploadFailed");
  const verdict = uploadVerdict(failure, deps.now());
  if (verdict.kind === "fail" && isConfigError(verdict.error)) {
    deps.configFault?.report({ status: failure.status, dcrId: deps.dcrId, stream, message: failure.message });
  }
  if (verdict.kind === "fail") return retryOrGiveUp(deps, stream, batch, verdict.error, outcomes);
  if (batch.length === 1) {
    const reason = verdict.kind === "split" ? "RowTooLarge" : "IngestionRejected";
    deps.metrics.increment("rowsDeadLettered");
    outcomes[(batch[0] as Entry).index] = deadLetter(reason, `${failure.status}: ${failure.message}`);
    return;
  }
  const mid = Math.ceil(batch.length / 2);
  deps.logger.info(verdict.kind === "split" ? "batchSplit" : "batchBisected", { stream, rows: batch.length, why: verdict.why });
  await deliver(deps, stream, batch.slice(0, mid), outcomes);
  await deliver(deps, stream, batch.slice(mid), outcomes);
}

/**
 * A row with columns its stream does not declare: dead-lettered as `SchemaDrift` under that policy
 * (the row alone; its batch goes on), else uploaded as is and reported. Undefined: upload it.
 */
function schemaDrift(deps: SinkDeps, stream: string, record: Record<string, unknown>): Outcome | undefined {
  const check = deps.schemaGuard?.check(stream, record);
  if (check?.kind !== "drift") return undefined;
  deps.schemaGuard?.report(stream, check, deps.logger, deps.metrics);
  if (check.action === "warn") return undefined;
  deps.metrics.increment("rowsDeadLettered");
  return deadLetter("SchemaDrift", check.fix);
}

function retryOrGiveUp(deps: SinkDeps, stream: string, batch: Entry[], error: RelayError, outcomes: Outcome[]): void {
  const description = describeError(error);
  deps.logger.warn("batchUploadFailed", { stream, rows: batch.length, error: description });
  for (const e of batch) {
    const decision = decideRetry({ error, attemptsSpent: e.message.attempt, maxAttempts: deps.maxAttempts });
    if (decision.kind === "giveUp") {
      deps.metrics.increment("rowsDeadLettered");
      outcomes[e.index] = deadLetter("IngestionFailed", `${decision.why}: ${description}`);
      continue;
    }
    const attempt = e.message.attempt + (decision.spendsAttempt ? 1 : 0);
    outcomes[e.index] = { kind: "retry", delayMs: decision.delayMs, reason: description, retryBody: { ...e.message, attempt } };
  }
  deps.metrics.increment("rowsRetried", batch.length);
}

/** Runs jobs with at most `limit` in flight. */
async function runLimited(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}
