import { type HuntingRow, type OutgoingMessage, type RowMessage, rowIdsOf } from "@xdr-relay/core";
import { truncateFields } from "./field-truncation.ts";
import { fitRowMessage, standInMessageId } from "./oversize-row.ts";

/** Service Bus Basic/Standard's message limit, for callers that do not say. */
export const defaultMaxMessageBytes = 256 * 1024;

/**
 * One queue message per result row; the row's identity is its message id (duplicate detection).
 * Takes the whole result at once so identical rows are numbered (see `rowIdsOf`). Ids come from the
 * rows as fetched, before any field is cut, so cutting never makes two different rows one.
 * Fields over 64 KB are cut and flagged (`truncateFields`); a row still too big for one message
 * goes as a `tooLarge` stand-in (`fitRowMessage`).
 */
export function rowMessages(args: {
  tenant: string;
  query: string;
  stream: string;
  window: string;
  rows: readonly HuntingRow[];
  maxMessageBytes?: number;
}): OutgoingMessage[] {
  const rowIds = rowIdsOf(args.tenant, args.query, args.rows);
  const maxMessageBytes = args.maxMessageBytes ?? defaultMaxMessageBytes;
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
      row: truncateFields(row),
    };
    const fitted = fitRowMessage(body, maxMessageBytes);
    return { messageId: fitted.tooLarge ? standInMessageId(rowId) : rowId, body: fitted };
  });
}
