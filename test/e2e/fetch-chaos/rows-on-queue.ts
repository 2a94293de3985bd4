import type { RowMessage } from "@xdr-relay/core";
import { EmbeddedQueueClient } from "@xdr-relay/queue";

/**
 * What the fetchers have put on the `rows` queue, read from the queue file itself (peek: no lock,
 * no delivery counted). No sink runs in these tests, so the queue holds every row ever accepted;
 * duplicate detection has already dropped re-sends. Reads only what is new since the last read,
 * so it can be polled while a fetcher is writing.
 */
export class RowsOnQueue {
  /** rowId → how many messages carry it. */
  readonly byRowId = new Map<string, number>();
  /** window id → rows of it on the queue. */
  readonly byWindow = new Map<string, number>();
  /** Messages whose id is not their body's rowId (oversize stand-ins would be; none are expected). */
  readonly mismatchedIds: string[] = [];
  private nextSeq = 0;

  constructor(private readonly queue: EmbeddedQueueClient) {}

  static open(path: string): RowsOnQueue {
    return new RowsOnQueue(new EmbeddedQueueClient({ path }));
  }

  get messages(): number {
    let n = 0;
    for (const count of this.byRowId.values()) n += count;
    return n;
  }

  async refresh(): Promise<void> {
    for (;;) {
      const page = await this.queue.peekMessages("rows", { maxMessageCount: 5_000, fromSequenceNumber: this.nextSeq });
      for (const m of page) {
        const body = m.body as RowMessage;
        if (m.messageId !== body.rowId) this.mismatchedIds.push(m.messageId);
        this.byRowId.set(body.rowId, (this.byRowId.get(body.rowId) ?? 0) + 1);
        this.byWindow.set(body.window, (this.byWindow.get(body.window) ?? 0) + 1);
        this.nextSeq = m.sequenceNumber + 1;
      }
      if (page.length < 5_000) return;
    }
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
