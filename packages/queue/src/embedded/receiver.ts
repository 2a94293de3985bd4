import type { DeadLetterDetails, OutgoingMessage, QueueReceiver, ReceivedMessage, ReceiveOptions } from "@xdr-relay/core";
import { completeAll } from "./complete-batch.ts";
import { assertOpen, type QueueContext } from "./context.ts";
import { inWriteTransaction } from "./database.ts";
import { deadLetterPath, isDeadLetterPath } from "./entity.ts";
import type { LockRef } from "./lock-ref.ts";
import { lockTokenOf } from "./message-row.ts";
import type { QueueMovedLetter } from "./options.ts";
import { checkOutgoing } from "./outgoing-message.ts";
import { insertMessages } from "./send.ts";
import { abandonLocked, deadLetterLocked, renewLocked } from "./settle.ts";
import { nextAvailableAt, takeMessages } from "./take.ts";
import { notifyReceivers, waitForMessages, wakeKey } from "./wakeups.ts";

/** A peek-lock receiver of one entity: a queue or its dead-letter subqueue. */
export class EmbeddedReceiver implements QueueReceiver {
  private readonly stop = new AbortController();

  constructor(
    private readonly context: QueueContext,
    private readonly entity: string,
  ) {}

  /**
   * Returns as soon as at least one message is receivable, or [] after `maxWaitTimeInMs`.
   * Between attempts it sleeps until woken by an in-process send, until the next scheduled message
   * or lock expiry is due, or for the poll interval (sends from other processes), whichever is first.
   */
  async receiveMessages(maxMessageCount: number, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    if (!Number.isInteger(maxMessageCount) || maxMessageCount < 1) {
      throw new TypeError(`maxMessageCount must be a positive integer, got ${maxMessageCount}`);
    }
    this.assertUsable();
    const deadline = performance.now() + options.maxWaitTimeInMs;
    const { db, options: queueOptions } = this.context;
    const { lockDurationMs, maxDeliveryCount, pollIntervalMs } = queueOptions;
    for (;;) {
      const now = queueOptions.clock.now();
      const next = nextAvailableAt(db, this.entity);
      const due = next !== undefined && next <= now;
      if (due) {
        const request = { entity: this.entity, maxMessageCount, now, lockDurationMs, maxDeliveryCount };
        const { messages, moved } = takeMessages(db, request);
        // Committed: the moves are told now, the dead-letter queue's receivers woken.
        this.told(moved);
        // Empty when everything due was exhausted (dead-lettered) or taken by another process.
        if (messages.length > 0) return messages;
      }
      const leftMs = deadline - performance.now();
      if (leftMs <= 0) return [];
      const untilDueMs = next === undefined || due ? pollIntervalMs : next - now;
      const sleepMs = Math.max(1, Math.min(leftMs, untilDueMs, pollIntervalMs));
      const stopped = [this.stop.signal, this.context.closed];
      await waitForMessages(wakeKey(this.context.fileKey, this.entity), sleepMs, stopped);
      // Closing the receiver or its client ends a pending receive quietly, as the SDK does.
      if (stopped.some((s) => s.aborted)) return [];
    }
  }

  async completeMessage(message: ReceivedMessage): Promise<void> {
    const ref = this.lockRef(message);
    await this.context.settlements.complete(ref);
  }

  async abandonMessage(message: ReceivedMessage): Promise<void> {
    const ref = this.lockRef(message);
    let moved: QueueMovedLetter | undefined;
    await this.context.settlements.submit(() => {
      moved = abandonLocked(this.context.db, ref, this.context.options.maxDeliveryCount);
    });
    if (moved) this.told([moved]);
    else notifyReceivers(wakeKey(this.context.fileKey, this.entity));
  }

  async deadLetterMessage(message: ReceivedMessage, details: DeadLetterDetails): Promise<void> {
    const ref = this.lockRef(message);
    await this.context.settlements.submit(() => deadLetterLocked(this.context.db, ref, details));
    notifyReceivers(wakeKey(this.context.fileKey, deadLetterPath(this.entity)));
  }

  /**
   * Completes `message` and enqueues `copy` on this queue in one transaction (through the settle
   * batch, so a failed upload's thousand retries still commit together): a crash leaves either
   * the original, still locked and so delivered again, or the copy, never both. A copy whose id
   * was sent before is dropped as any duplicate is, and the original is completed all the same.
   */
  async rescheduleMessage(message: ReceivedMessage, copy: OutgoingMessage): Promise<void> {
    if (isDeadLetterPath(this.entity)) throw new TypeError(`a dead letter is replayed to its queue, not rescheduled`);
    const ref = this.lockRef(message);
    const checked = checkOutgoing(copy);
    const { db, options } = this.context;
    // A savepoint of its own: a copy refused after the delete undoes the delete. Both writes are
    // lost alike if the machine loses power before the commit reaches the disk: the original
    // then comes back, as a redelivery.
    const reschedule = () => {
      const [lost] = completeAll(db, [ref]);
      if (lost) throw lost;
      insertMessages(db, {
        queue: this.entity,
        messages: [checked],
        maxMessageBytes: options.maxMessageBytes,
        now: ref.now,
        duplicateDetectionHistoryMs: options.duplicateDetectionHistoryMs,
      });
    };
    await this.context.settlements.submit(() => inWriteTransaction(db, reschedule, "redelivery"));
    notifyReceivers(wakeKey(this.context.fileKey, this.entity));
  }

  /** Extends the lock and, as the Service Bus SDK does, updates `message.lockedUntilUtc`. */
  async renewMessageLock(message: ReceivedMessage): Promise<Date> {
    const { db, options } = this.context;
    const ref = this.lockRef(message);
    let until = 0;
    // Through the settle batch: a host renewing thousands of held locks at once commits them together.
    await this.context.settlements.submit(() => {
      until = renewLocked(db, ref, options.lockDurationMs);
    });
    const lockedUntil = new Date(until);
    (message as { lockedUntilUtc: Date | undefined }).lockedUntilUtc = lockedUntil;
    return lockedUntil;
  }

  async close(): Promise<void> {
    this.stop.abort();
  }

  /** Tells of messages the queue dead-lettered by itself, once committed; a throwing listener cannot undo them. */
  private told(moved: readonly QueueMovedLetter[]): void {
    if (moved.length === 0) return;
    notifyReceivers(wakeKey(this.context.fileKey, deadLetterPath(this.entity)));
    for (const letter of moved) {
      try {
        this.context.options.onDeadLettered(letter);
      } catch {
        // The letter is in the dead-letter queue whatever the listener did: `dlq list` shows it.
      }
    }
  }

  private lockRef(message: ReceivedMessage): LockRef {
    this.assertUsable();
    return {
      entity: this.entity,
      seq: message.sequenceNumber,
      messageId: message.messageId,
      lockToken: lockTokenOf(message),
      now: this.context.options.clock.now(),
    };
  }

  private assertUsable(): void {
    assertOpen(this.context, `receiver for ${this.entity}`);
    if (this.stop.signal.aborted) throw new Error(`receiver for ${this.entity} is closed`);
  }
}
