import type { ReceivedMessage } from "@xdr-relay/core";
import type { PeekMessages } from "./open-queue.ts";

/**
 * A queue's messages (or its dead letters) a page at a time, oldest first, by peek: no lock, no
 * delivery counted, and memory bounded by one page. Stop iterating to stop reading.
 */
export async function* peekPages(
  peek: PeekMessages,
  queueName: string,
  options: { subQueue?: "deadLetter"; pageSize: number },
): AsyncGenerator<ReceivedMessage[]> {
  const { pageSize, ...where } = options;
  for (let from = 0; ; ) {
    const page = await peek(queueName, { ...where, maxMessageCount: pageSize, fromSequenceNumber: from });
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return;
    from = last.sequenceNumber + 1;
  }
}
