import type { HuntingRow, QueueSender } from "@xdr-relay/core";
import { type RowMessageArgs, RowMessageBuilder } from "./row-messages.ts";

export interface SendRowsDeps {
  readonly rows: QueueSender;
  /** Rows per send call: large batches amortise the queue's per-call cost. */
  readonly sendBatchSize: number;
  readonly maxMessageBytes?: number | undefined;
}

/**
 * Sends a result's rows a batch at a time, each batch's messages built just before it is sent and
 * dropped after: a 100,000-row result never has all its messages in memory at once. The caller
 * decides beforehand whether the result may be sent at all (a result the row cap may have cut
 * never is). Throws when a send fails; the window is then fetched again and the rows already sent
 * come back as duplicates, which the queue drops.
 */
export async function sendRows(
  deps: SendRowsDeps,
  message: Omit<RowMessageArgs, "maxMessageBytes">,
  rows: readonly HuntingRow[],
): Promise<{ sent: number; tooLarge: number }> {
  const builder = new RowMessageBuilder({ ...message, maxMessageBytes: deps.maxMessageBytes });
  let tooLarge = 0;
  for (let i = 0; i < rows.length; i += deps.sendBatchSize) {
    const batch = builder.build(rows.slice(i, i + deps.sendBatchSize));
    await deps.rows.sendMessages(batch.messages);
    tooLarge += batch.tooLarge;
  }
  return { sent: rows.length, tooLarge };
}
