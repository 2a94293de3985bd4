import { type HuntingRow, nextTurn, type QueueSender } from "@xdr-relay/core";
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
 *
 * Each batch is followed by a turn of the event loop: the embedded queue's sends are synchronous
 * under their promises, so a 100,000-row window was one block of 6 to 15 s in which no timer ran,
 * and the lock keeper could not renew the window's lock (nor the sink's, under `run`). With a short
 * `lockDurationMs` the lock ran out mid-send and the window was fetched a second time.
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
    await nextTurn();
  }
  return { sent: rows.length, tooLarge };
}
