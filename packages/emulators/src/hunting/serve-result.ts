import type { ServerResponse } from "node:http";
import { badRequest, type GraphFailure } from "./graph-error.ts";
import type { CallOutcome, HuntingDesk } from "./hunting-desk.ts";
import { huntingMessages } from "./messages.ts";
import { type QueryScope, queryRows } from "./query-rows.ts";
import { resultHead, resultTail, rowSerializer, streamResult } from "./result-stream.ts";
import { type SyntheticRow, tableColumns } from "./tables.ts";

/**
 * Streams a query's result, counting served rows, or hands back the service's result-size 400
 * when `maxResultBytes` is set and the result would exceed it.
 */
export async function serveResult(
  desk: HuntingDesk,
  scope: QueryScope,
  res: ServerResponse,
): Promise<CallOutcome | GraphFailure> {
  const { options, stats, served } = desk;
  const { tenant, plan } = scope;
  const head = resultHead(plan.columns, options.capitalizedSchema);
  const toJson = rowSerializer(plan.columns, tableColumns[plan.table]);
  const limit = options.maxResultBytes;
  // The service refuses an oversized result rather than cutting it, so measure first (a second
  // pass over the rows, paid only when a limit is set).
  if (limit !== undefined && resultBytes(head, scope, toJson) > limit) {
    return badRequest(huntingMessages.resultSize(limit), "Query");
  }
  let rows = 0;
  const markServed = served.marker(tenant.id, plan.table, tenant.size(plan.table));
  const json = function* () {
    for (const row of queryRows(scope, markServed)) {
      rows++;
      stats.rowsServed++;
      yield toJson(row);
    }
  };
  await streamResult(res, head, json());
  return { status: 200, rows };
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
