import type { RowMessage } from "@xdr-relay/core";
import { recordBuilder } from "./record-shape.ts";

/** Columns the sink adds to every record. */
export const addedColumns = [
  /** From the row's `Timestamp`; Log Analytics replaces it by the receive time when over 2 days old. */
  { name: "TimeGenerated", type: "datetime" },
  /** The row's identity: `summarize arg_max(TimeGenerated, *) by RowId` folds any duplicate. */
  { name: "RowId", type: "string" },
  /** Which configured tenant the row came from. */
  { name: "SourceTenant", type: "string" },
  /** Present only on rows whose fields the fetcher cut to 64 KB: the names of those columns. */
  { name: "XdrTruncatedColumns", type: "dynamic" },
] as const;

/**
 * The Log Analytics record for a row. The original `Timestamp` stays in its own column because
 * `TimeGenerated` is rewritten for old rows (backfills, replays).
 */
export function toRecord(message: RowMessage): Record<string, unknown> {
  const { row } = message;
  return recordBuilder(Object.keys(row))(row, message.rowId, message.tenant);
}
