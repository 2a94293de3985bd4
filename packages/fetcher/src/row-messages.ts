import { type HuntingRow, type OutgoingMessage, type RowMessage, rowIdsOf } from "@xdr-relay/core";

/**
 * One queue message per result row; the row's identity is its message id (duplicate detection).
 * Takes the whole result at once so identical rows are numbered (see `rowIdsOf`).
 */
export function rowMessages(args: {
  tenant: string;
  query: string;
  stream: string;
  window: string;
  rows: readonly HuntingRow[];
}): OutgoingMessage[] {
  const rowIds = rowIdsOf(args.tenant, args.query, args.rows);
  return args.rows.map((row, i) => {
    const rowId = rowIds[i] as string;
    const body: RowMessage = {
      version: 1,
      tenant: args.tenant,
      query: args.query,
      stream: args.stream,
      window: args.window,
      rowId,
      attempt: 0,
      row,
    };
    return { messageId: rowId, body };
  });
}
