import type { DeadLetterDetails, QueueReceiver, ReceivedMessage, ReceiveOptions } from "@xdr-relay/core";

export interface PriorityReceiverOptions {
  /** Served first: a message here is taken whenever there is one. */
  readonly preferred: QueueReceiver;
  /** Served only when `preferred` has nothing receivable. */
  readonly fallback: QueueReceiver;
  /**
   * How long each lane is looked at before the receive falls back to waiting: 0 on the embedded
   * queue (a look is one statement). A Service Bus receive needs a round trip to see a message
   * that is there, so its adapter's shortest useful wait belongs here.
   */
  readonly probeWaitMs?: number;
  /** The two queues' names, for `queueNameOf` (what the log says of a message). */
  readonly names?: { readonly preferred: string; readonly fallback: string };
}

/**
 * One receiver over two queues, the preferred served before the fallback (Service Bus has no
 * priorities; two queues are its idiom). Each receive looks at `preferred`, then at `fallback`,
 * without waiting on either; only when both are empty does it wait, on `preferred`, for the
 * caller's whole `maxWaitTimeInMs`. So a receiver never idles on an empty `preferred` while
 * `fallback` has work, a message arriving on `preferred` is taken at once by a receiver that is
 * waiting, and one arriving on `fallback` within one wait. A fetch slot that is busy finishes its
 * window first: priority decides what each receive takes, not what a slot already holds.
 *
 * Every message is settled, renewed and dead-lettered through the receiver it came from: a
 * backfill window's dead letter lands in the backfill queue's dead-letter queue.
 */
export class PriorityReceiver implements QueueReceiver {
  private readonly sourceOf = new WeakMap<ReceivedMessage, QueueReceiver>();

  constructor(private readonly options: PriorityReceiverOptions) {}

  async receiveMessages(maxMessageCount: number, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const { preferred, fallback, probeWaitMs = 0 } = this.options;
    const look = { maxWaitTimeInMs: Math.min(probeWaitMs, options.maxWaitTimeInMs) };
    const urgent = await preferred.receiveMessages(maxMessageCount, look);
    if (urgent.length > 0) return this.from(preferred, urgent);
    const waiting = await fallback.receiveMessages(maxMessageCount, look);
    if (waiting.length > 0) return this.from(fallback, waiting);
    return this.from(preferred, await preferred.receiveMessages(maxMessageCount, options));
  }

  async completeMessage(message: ReceivedMessage): Promise<void> {
    return this.source(message).completeMessage(message);
  }

  async abandonMessage(message: ReceivedMessage): Promise<void> {
    return this.source(message).abandonMessage(message);
  }

  async deadLetterMessage(message: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    return this.source(message).deadLetterMessage(message, details);
  }

  async renewMessageLock(message: ReceivedMessage): Promise<Date> {
    return this.source(message).renewMessageLock(message);
  }

  queueNameOf(message: ReceivedMessage): string | undefined {
    const { names, preferred } = this.options;
    if (!names) return undefined;
    const source = this.sourceOf.get(message);
    if (!source) return undefined;
    return source === preferred ? names.preferred : names.fallback;
  }

  async close(): Promise<void> {
    await Promise.all([this.options.preferred.close(), this.options.fallback.close()]);
  }

  private from(receiver: QueueReceiver, messages: ReceivedMessage[]): ReceivedMessage[] {
    for (const m of messages) this.sourceOf.set(m, receiver);
    return messages;
  }

  private source(message: ReceivedMessage): QueueReceiver {
    const receiver = this.sourceOf.get(message);
    if (!receiver) throw new Error(`message ${message.messageId} was not received through this receiver`);
    return receiver;
  }
}
