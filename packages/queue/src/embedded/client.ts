import { resolve } from "node:path";
import type { QueueClient, QueueReceiver, QueueSender, ReceivedMessage } from "@xdr-relay/core";
import { assertOpen, type QueueContext } from "./context.ts";
import { closeDatabase, openDatabase } from "./database.ts";
import { entityPath } from "./entity.ts";
import { type EmbeddedQueueOptions, resolveQueueOptions } from "./options.ts";
import { peekRows } from "./peek.ts";
import { EmbeddedReceiver } from "./receiver.ts";
import { ensureQueueSchema } from "./schema.ts";
import { EmbeddedSender } from "./sender.ts";
import { SettleBatch } from "./settle-batch.ts";
import { type QueueStats, readStats } from "./stats.ts";

/**
 * The queue port on one SQLite file, with Service Bus semantics (peek-lock, delivery count,
 * dead-letter subqueue, scheduled messages, duplicate detection). Several clients, in this
 * process or others, may share the file.
 */
export class EmbeddedQueueClient implements QueueClient {
  private readonly context: QueueContext;
  private readonly closing = new AbortController();

  constructor(options: EmbeddedQueueOptions) {
    const resolved = resolveQueueOptions(options);
    const db = openDatabase(resolved.path);
    try {
      ensureQueueSchema(db, resolved.path, options.olderLayout);
    } catch (e) {
      db.close();
      throw e;
    }
    this.context = {
      db,
      options: resolved,
      fileKey: resolve(resolved.path),
      closed: this.closing.signal,
      settlements: new SettleBatch(db),
    };
  }

  createSender(queueName: string): QueueSender {
    assertOpen(this.context, "createSender");
    return new EmbeddedSender(this.context, entityPath(queueName, undefined));
  }

  createReceiver(queueName: string, options?: { subQueue?: "deadLetter" }): QueueReceiver {
    assertOpen(this.context, "createReceiver");
    return new EmbeddedReceiver(this.context, entityPath(queueName, options?.subQueue));
  }

  /** Counts for one queue and its dead-letter subqueue (synchronous: one local transaction). */
  stats(queueName: string): QueueStats {
    assertOpen(this.context, "stats");
    const { db, options } = this.context;
    return readStats(db, entityPath(queueName, undefined), options.clock.now(), options.maxDeliveryCount);
  }

  /**
   * Lists messages without locking them or counting a delivery, e.g. to show the dead-letter
   * queue. (Receive-then-abandon would count a delivery on Service Bus.)
   */
  async peekMessages(
    queueName: string,
    options: { subQueue?: "deadLetter"; maxMessageCount: number; fromSequenceNumber?: number },
  ): Promise<ReceivedMessage[]> {
    assertOpen(this.context, "peekMessages");
    const entity = entityPath(queueName, options.subQueue);
    const { maxMessageCount, fromSequenceNumber = 0 } = options;
    return peekRows(this.context.db, entity, { maxMessageCount, fromSequenceNumber });
  }

  /** Ends pending receives (they return []) and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    closeDatabase(this.context.db);
  }
}
