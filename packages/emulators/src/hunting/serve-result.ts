import type { ServerResponse } from "node:http";
import { badRequest, type GraphFailure } from "./graph-error.ts";
import type { CallOutcome, HuntingDesk } from "./hunting-desk.ts";
import { huntingMessages } from "./messages.ts";
import { type QueryScope, queryRows } from "./query-rows.ts";
import { type RenderedChunk, type RenderedResult, resultKey } from "./result-cache.ts";
import { type RowJson, renderChunks, resultHead, resultTail, rowSerializer, writeResult } from "./result-stream.ts";
import { type SyntheticRow, tableColumns } from "./tables.ts";

/**
 * Streams a query's result, counting served rows, or hands back the service's result-size 400
 * when `maxResultBytes` is set and the result would exceed it. A call that asks for exactly the
 * rows of the last result served gets that body again (see `ResultCache`).
 */
export async function serveResult(
  desk: HuntingDesk,
  scope: QueryScope,
  res: ServerResponse,
): Promise<CallOutcome | GraphFailure> {
  const { options, stats, served, results } = desk;
  const { tenant, plan } = scope;
  const key = resultKey(scope, options.capitalizedSchema);
  const cached = results.find(key, scope);
  const head = resultHead(plan.columns, options.capitalizedSchema);
  const toJson = rowSerializer(plan.columns, tableColumns[plan.table]);
  const limit = options.maxResultBytes;
  // The service refuses an oversized result rather than cutting it, so measure first (a second
  // pass over the rows, paid only when a limit is set and the body is not at hand).
  if (limit !== undefined && (cached?.bytes ?? resultBytes(head, scope, toJson)) > limit) {
    return badRequest(huntingMessages.resultSize(limit), "Query");
  }
  let rows = 0;
  const markServed = served.marker(tenant.id, plan.table, tenant.size(plan.table));
  const onWritten = (chunk: RenderedChunk) => {
    for (const index of chunk.rowIndexes) markServed(index);
    rows += chunk.rowIndexes.length;
    stats.rowsServed += chunk.rowIndexes.length;
  };
  if (cached) {
    await writeResult(res, cached.chunks, onWritten);
    return { status: 200, rows };
  }
  const scanned: number[] = [];
  const rendered: RenderedChunk[] = [];
  const chunks = function* () {
    for (const chunk of renderChunks(head, rowJson(scope, toJson, scanned))) {
      rendered.push(chunk);
      yield chunk;
    }
  };
  if (await writeResult(res, chunks(), onWritten)) results.keep(renderedResult(key, scope, scanned, rendered, rows));
  return { status: 200, rows };
}

function* rowJson(scope: QueryScope, toJson: (row: SyntheticRow) => string, scanned: number[]): Generator<RowJson> {
  let index = -1;
  const hooks = { onScan: (i: number) => scanned.push(i), onRow: (i: number) => (index = i) };
  for (const row of queryRows(scope, hooks)) yield { index, json: toJson(row) };
}

function renderedResult(
  key: string,
  scope: QueryScope,
  scanned: readonly number[],
  chunks: readonly RenderedChunk[],
  rows: number,
): RenderedResult {
  // A result as long as the cap does not depend on rows past the last one scanned.
  const capped = rows >= scope.rowCap;
  const bytes = chunks.reduce((sum, c) => sum + c.bytes.length, 0);
  return { key, scanned: Uint32Array.from(scanned), capped, chunks, bytes };
}

function resultBytes(head: string, scope: QueryScope, toJson: (row: SyntheticRow) => string): number {
  let bytes = Buffer.byteLength(head) + resultTail.length;
  let count = 0;
  for (const row of queryRows(scope)) {
    bytes += Buffer.byteLength(toJson(row));
    count++;
  }
  return bytes + Math.max(0, count - 1);
}
