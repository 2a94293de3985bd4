import type { Outcome } from "@xdr-relay/core";
import { cutBatches, type Sized } from "./batches.ts";
import { deliver, type PendingRow } from "./deliver.ts";
import { prepareRow } from "./prepare-row.ts";
import type { SinkDeps } from "./sink-deps.ts";

export type { SinkDeps } from "./sink-deps.ts";

/**
 * Uploads a received batch of row messages and returns one outcome per message (the batch-at-a-time
 * handler for hosts that hand over whole batches; the CLI's sink streams rows through `RowStream`).
 * A message's outcome is decided only by the upload that carried it: completed after that upload
 * succeeded, retried or dead-lettered after it failed. Rows in batches that succeeded are never re-sent.
 */
export async function handleRows(deps: SinkDeps, bodies: readonly unknown[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(bodies.length);
  const byStream = new Map<string, Sized<PendingRow>[]>();
  bodies.forEach((body, index) => {
    const prepared = prepareRow(deps, body);
    if (prepared.kind === "settled") {
      outcomes[index] = prepared.outcome;
      return;
    }
    const list = byStream.get(prepared.message.stream) ?? [];
    const report = (outcome: Outcome) => {
      outcomes[index] = outcome;
    };
    const row: PendingRow = { ...prepared, report };
    list.push({ item: row, bytes: prepared.bytes });
    byStream.set(prepared.message.stream, list);
  });
  const jobs = [...byStream].flatMap(([stream, items]) =>
    cutBatches(items, deps.batchMaxRows, deps.batchMaxBytes).map((batch) => () => deliver(deps, stream, batch)),
  );
  await runLimited(jobs, deps.maxConcurrency);
  return outcomes;
}

/** Runs jobs with at most `limit` in flight. */
async function runLimited(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}
