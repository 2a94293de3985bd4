import { type HuntingRow, type OutgoingMessage, type RowMessage, rowIdOf } from "@xdr-relay/core";

/** One queue message per result row; the row's identity is its message id (duplicate detection). */
export function rowMessages(args: {
  tenant: string;
  query: string;
  stream: string;
  window: string;
  rows: readonly HuntingRow[];
}): OutgoingMessage[] {
  return args.rows.map((row) => {
    const rowId = rowIdOf(args.tenant, args.query, row);
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
