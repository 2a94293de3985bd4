import type { OutgoingMessage, QueueSender } from "../ports/queue.ts";

interface Waiting {
  readonly messages: readonly OutgoingMessage[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A sender that gathers the sends asked for in one turn of the event loop into one call. A failed
 * batch upload reports a retry for each of its rows at once; sent one by one, their copies were
 * one fsynced transaction each on the embedded queue, back to back: thousands of them held the
 * event loop for seconds, past the locks of the rows waiting to be completed (redelivered and
 * uploaded twice). If the gathered call fails, each send is tried on its own, so every caller
 * learns of its own failure only, as before.
 */
export class CoalescingSender implements QueueSender {
  private waiting: Waiting[] = [];

  constructor(private readonly inner: QueueSender) {}

  sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
      // Sends asked for in the same synchronous run (a batch's outcomes reported in a loop) go together.
      if (this.waiting.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async flush(): Promise<void> {
    const gathered = this.waiting;
    this.waiting = [];
    if (gathered.length > 1) {
      try {
        await this.inner.sendMessages(gathered.flatMap((w) => w.messages));
        for (const w of gathered) w.resolve();
        return;
      } catch {
        // Tried one by one below: the failure may belong to one of them only.
      }
    }
    // Through a `then`, so a sender that throws instead of rejecting still answers its caller.
    await Promise.all(
      gathered.map((w) =>
        Promise.resolve(w.messages)
          .then((m) => this.inner.sendMessages(m))
          .then(w.resolve, w.reject),
      ),
    );
  }
}
