import type { HuntingRow, RowMessage } from "@xdr-relay/core";

/**
 * Room left for what the queue adds to a body (message id, system and scheduling properties), so a
 * body that passes our check also passes the broker's, which counts the whole message.
 */
export const messageOverheadBytes = 2 * 1024;

/** Columns that identify a row to an operator, kept on a stand-in when present. */
export const rowKeyColumns = ["Timestamp", "AlertId", "ReportId", "DeviceId", "DeviceName", "NetworkMessageId", "EntityType"];

/** A key value is for finding the row again, not for keeping it: a long one is cut. */
const maxKeyChars = 256;

function keysOf(row: HuntingRow): HuntingRow {
  const keys: HuntingRow = {};
  for (const name of rowKeyColumns) {
    const value = row[name];
    if (value === undefined) continue;
    keys[name] = typeof value === "string" ? value.slice(0, maxKeyChars) : value;
  }
  return keys;
}

/**
 * The queue message id of a stand-in. Not the row's own id: duplicate detection would then drop the
 * full row when the window is fetched again after `queue.maxMessageBytes` was raised. Still fixed
 * per row, so re-sweeps that meet the same oversized row park it once, not once per pass.
 */
export function standInMessageId(rowId: string): string {
  return `big-${rowId}`;
}

/**
 * The message to send for a row: the row message itself when it fits `maxMessageBytes`, else a
 * small stand-in flagged `tooLarge` with the window, rowId and key columns, which the sink
 * dead-letters as `RowTooLarge`. A row is never dropped without a trace; the stand-in keeps the
 * row's id in its body (send it under `standInMessageId`).
 */
export function fitRowMessage(message: RowMessage, maxMessageBytes: number): RowMessage {
  const json = JSON.stringify(message);
  // A UTF-16 unit is at most 3 UTF-8 bytes: most rows are decided without encoding them.
  if (json.length * 3 + messageOverheadBytes <= maxMessageBytes) return message;
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes + messageOverheadBytes <= maxMessageBytes) return message;
  return { ...message, row: keysOf(message.row), tooLarge: { bytes, limitBytes: maxMessageBytes } };
}
