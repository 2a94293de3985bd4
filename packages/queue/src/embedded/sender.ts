import type { OutgoingMessage, QueueSender } from "@xdr-relay/core";
import { assertOpen, type QueueContext } from "./context.ts";
import { checkOutgoing } from "./outgoing-message.ts";
import { insertMessages } from "./send.ts";
import { notifyReceivers, wakeKey } from "./wakeups.ts";

export class EmbeddedSender implements QueueSender {
  private closed = false;

  constructor(
    private readonly context: QueueContext,
    private readonly queue: string,
  ) {}

  /** Resolves only after the batch committed (fsynced: see `openDatabase`). */
  async sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    this.assertUsable();
    const { db, options } = this.context;
    const checked = messages.map(checkOutgoing);
    if (checked.length === 0) return;
    insertMessages(db, {
      queue: this.queue,
      messages: checked,
      maxMessageBytes: options.maxMessageBytes,
      now: options.clock.now(),
      duplicateDetectionHistoryMs: options.duplicateDetectionHistoryMs,
    });
    notifyReceivers(wakeKey(this.context.fileKey, this.queue));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertUsable(): void {
    if (this.closed) throw new Error(`sender for ${this.queue} is closed`);
    assertOpen(this.context, `sender for ${this.queue}`);
  }
}
