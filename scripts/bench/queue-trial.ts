import type { OutgoingMessage, ReceivedMessage } from "../../packages/core/src/index.ts";
import { EmbeddedQueueClient } from "../../packages/queue/src/index.ts";

/** Messages per second in each phase of one trial. */
export interface QueuePhaseRates {
  readonly sendPerS: number;
  readonly receivePerS: number;
  readonly completePerS: number;
}

/**
 * One trial of the embedded queue on a fresh file: every batch sent with `sendMessages`, then the
 * queue drained with `receiveMessages(receiveBatch)` and each message completed the way a host
 * settles a batch (all completes asked for in one turn, awaited together).
 */
export async function queueTrial(
  path: string,
  batches: readonly OutgoingMessage[][],
  receiveBatch: number,
): Promise<QueuePhaseRates> {
  const client = new EmbeddedQueueClient({ path });
  try {
    const total = batches.reduce((n, b) => n + b.length, 0);
    const sender = client.createSender("rows");
    let started = performance.now();
    for (const batch of batches) await sender.sendMessages(batch);
    const sendMs = performance.now() - started;
    const receiver = client.createReceiver("rows");
    let receiveMs = 0;
    let completeMs = 0;
    let drained = 0;
    for (;;) {
      started = performance.now();
      const received: ReceivedMessage[] = await receiver.receiveMessages(receiveBatch, { maxWaitTimeInMs: 0 });
      receiveMs += performance.now() - started;
      if (received.length === 0) break;
      started = performance.now();
      await Promise.all(received.map((m) => receiver.completeMessage(m)));
      completeMs += performance.now() - started;
      drained += received.length;
    }
    // A few synthetic rows are identical, so their ids are too: duplicate detection drops them.
    const unique = new Set(batches.flatMap((b) => b.map((m) => m.messageId))).size;
    if (drained !== unique) throw new Error(`queue bench: sent ${unique} distinct messages, drained ${drained}`);
    return {
      sendPerS: total / (sendMs / 1000),
      receivePerS: total / (receiveMs / 1000),
      completePerS: total / (completeMs / 1000),
    };
  } finally {
    await client.close();
  }
}
