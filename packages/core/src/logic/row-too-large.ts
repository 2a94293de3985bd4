import type { RowMessage } from "../contracts/row-message.ts";

/**
 * The dead-letter description for a `tooLarge` stand-in (see `RowMessage.tooLarge`): where the row
 * came from, how to find it in Defender, and what to do. Here in core because the fetcher writes
 * the stand-in and the sink, which must not import the fetcher, dead-letters it.
 */
export function rowTooLargeDescription(message: RowMessage, tooLarge: NonNullable<RowMessage["tooLarge"]>): string {
  const keys = Object.entries(message.row)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  return (
    `row ${message.rowId} of window ${message.window} is ${tooLarge.bytes} bytes as a queue message, over the ` +
    `${tooLarge.limitBytes}-byte limit (queue.maxMessageBytes); keys: ${keys || "none"}. ` +
    "Raise queue.maxMessageBytes (Service Bus Premium takes up to 100 MB) or project fewer columns, then fetch the window again."
  );
}
