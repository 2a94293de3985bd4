import { type OutgoingMessage, type QueueClient, type ReceivedMessage, replayMessageId } from "@xdr-relay/core";
import { isMessageLockLostError } from "./errors.ts";

export interface ReplayOptions {
  /** Replay at most this many messages. Default: all. */
  readonly max?: number;
  /** Replay only the messages this accepts (e.g. one dead-letter reason); the others stay. */
  readonly filter?: (message: ReceivedMessage) => boolean;
  /** Time for the replay ids. Default the system clock. */
  readonly now?: () => number;
  /** The body each copy carries, from the dead letter's (e.g. `replayBody`: attempts reset). Default: unchanged. */
  readonly body?: (body: unknown) => unknown;
  /**
   * Remove the chosen dead letters without sending copies back: for those whose cause cannot be
   * fixed (a window past Defender's 30 days, whose rows are gone). Default false.
   */
  readonly drop?: boolean;
  /** Messages per receive. Default 50. */
  readonly batchSize?: number;
  /** How long to wait for the dead-letter queue to yield more before stopping. Default 1 s. */
  readonly maxWaitTimeInMs?: number;
  /** Stops the replay after the batch in hand (Ctrl-C); what was done so far is returned. */
  readonly signal?: AbortSignal;
}

export interface ReplayResult {
  /** Sent back to the queue (with `drop`: not sent) and, unless counted in `lockLost`, removed from the DLQ. */
  readonly replayed: number;
  /** Left in the DLQ because `filter` refused them. */
  readonly skipped: number;
  /** Sent back, but the DLQ lock expired before completion: they stay in the DLQ too. */
  readonly lockLost: number;
  /**
   * Left in the DLQ because they were dead-lettered after this replay began: among them copies
   * it sent that failed again (their cause is not fixed), which it must not send back once more.
   */
  readonly later: number;
}

/**
 * Sends dead letters back to their queue, over the port only, so it works on every adapter.
 *
 * - Each copy gets a new id (`replayMessageId`), else duplicate detection would drop it while the
 *   original id is still in the history; the body (with the row's own id) is unchanged, or as
 *   `options.body` makes it.
 * - A DLQ message is completed only after its copy was sent, so a crash can duplicate a replay
 *   (rows are idempotent downstream) but never lose a message.
 * - Skipped messages stay locked until the end, so this run does not see them again, then are
 *   abandoned (on Service Bus that counts a delivery; the DLQ has no delivery limit).
 * - Only dead letters already there when it began are sent back. With a consumer running, a copy
 *   whose cause is not fixed comes back to the DLQ within moments, as a message the replay had not
 *   read yet: sent back again and again, one poisoned row kept a replay running without end,
 *   uploading it hundreds of times. A message counts as later when it was enqueued after the
 *   start (a retry copy of a copy, say) or is one of this replay's own copies.
 */
export async function replayDeadLetters(
  client: QueueClient,
  queueName: string,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const {
    max = Number.POSITIVE_INFINITY,
    filter = () => true,
    now = Date.now,
    batchSize = 50,
    body = (b: unknown) => b,
  } = options;
  const receiver = client.createReceiver(queueName, { subQueue: "deadLetter" });
  const sender = client.createSender(queueName);
  // Received and not completed: abandoned at the end (skipped, or their copies were not sent).
  const held = new Set<ReceivedMessage>();
  const seen = new Set<number>();
  // Ids of the copies this replay sent, and when it began (see `isLater`).
  const sent = new Set<string>();
  const startedAtMs = now();
  let replayed = 0;
  let skipped = 0;
  let lockLost = 0;
  let later = 0;
  let staleBatches = 0;
  try {
    while (replayed < max && !options.signal?.aborted) {
      const count = Math.min(batchSize, max - replayed);
      const batch = await receiver.receiveMessages(count, { maxWaitTimeInMs: options.maxWaitTimeInMs ?? 1_000 });
      for (const m of batch) held.add(m);
      if (batch.length === 0) break;
      // Messages seen before came back because their lock expired (a skipped one held through a
      // long replay, or one whose completion lost its lock). They come first, in sequence order:
      // held again, not replayed again, and the reading goes on past them to the unread ones (it
      // used to end at such a batch, leaving those). Bounded: with locks shorter than a receive's
      // wait they would come back without end.
      const fresh = batch.filter((m) => !seen.has(m.sequenceNumber));
      staleBatches = fresh.length === 0 ? staleBatches + 1 : 0;
      if (staleBatches > Math.ceil(seen.size / count) + 1) break;
      for (const m of fresh) seen.add(m.sequenceNumber);
      const earlier = fresh.filter((m) => !isLater(m, startedAtMs, sent));
      later += fresh.length - earlier.length;
      const chosen = earlier.filter(filter);
      skipped += earlier.length - chosen.length;
      if (chosen.length > 0 && !options.drop) {
        const copies = replayCopies(chosen, now(), body);
        for (const copy of copies) sent.add(copy.messageId);
        await sender.sendMessages(copies); // all or none
      }
      for (const m of chosen) {
        held.delete(m);
        replayed++;
        lockLost += await completeOrCount(() => receiver.completeMessage(m));
      }
    }
  } finally {
    await releaseAll(held, (m) => receiver.abandonMessage(m));
    await receiver.close();
    await sender.close();
  }
  return { replayed, skipped, lockLost, later };
}

/** Dead-lettered after the replay began: enqueued since (by the queue's clock), or a copy it sent. */
function isLater(message: ReceivedMessage, startedAtMs: number, sent: ReadonlySet<string>): boolean {
  return message.enqueuedTimeUtc.getTime() >= startedAtMs || sent.has(message.messageId);
}

function replayCopies(
  messages: readonly ReceivedMessage[],
  replayedAtMs: number,
  body: (body: unknown) => unknown,
): OutgoingMessage[] {
  // The sequence number tells apart two dead letters that share a message id.
  return messages.map((m) => ({
    messageId: replayMessageId(`${m.messageId}#${m.sequenceNumber}`, replayedAtMs),
    body: body(m.body),
  }));
}

async function completeOrCount(complete: () => Promise<void>): Promise<number> {
  try {
    await complete();
    return 0;
  } catch (e) {
    if (isMessageLockLostError(e)) return 1;
    throw e;
  }
}

/** Best effort: a lock that expired already released its message. */
async function releaseAll(messages: Iterable<ReceivedMessage>, abandon: (m: ReceivedMessage) => Promise<void>): Promise<void> {
  for (const m of messages) {
    try {
      await abandon(m);
    } catch (e) {
      if (!isMessageLockLostError(e)) throw e;
    }
  }
}
