import type { CheckpointStore, OutgoingMessage, QueueSender, Versioned } from "@xdr-relay/core";

/**
 * In-memory stand-ins for the scheduler's ports, for tests (not exported from the package).
 * The store keeps the compare-and-swap contract of the real ones: a write with a stale etag loses.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly values = new Map<string, Versioned>();
  private version = 0;
  /** Writes refused for a stale etag (another writer got there first). */
  lostWrites = 0;
  /** Awaited before each read: a test can hold readers here to force an interleaving. */
  beforeRead: () => Promise<void> = async () => undefined;
  /** Awaited before each write: a test can throw here to simulate a crash after the send. */
  beforeWrite: () => Promise<void> = async () => undefined;

  async read(key: string): Promise<Versioned | undefined> {
    await this.beforeRead();
    return this.values.get(key);
  }

  async write(key: string, value: string, expectedEtag: string | undefined): Promise<string | undefined> {
    await this.beforeWrite();
    if (this.values.get(key)?.etag !== expectedEtag) {
      this.lostWrites++;
      return undefined;
    }
    const etag = `v${++this.version}`;
    this.values.set(key, { value, etag });
    return etag;
  }
}

export class RecordingSender implements QueueSender {
  /** One entry per `sendMessages` call. */
  readonly sends: OutgoingMessage[][] = [];
  get sent(): OutgoingMessage[] {
    return this.sends.flat();
  }
  async sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    this.sends.push([...messages]);
  }
  async close(): Promise<void> {}
}

/**
 * Holds the first `parties` reads until all of them are waiting, then lets them go together, so
 * every racing scheduler reads the same checkpoint before any writes (the worst interleaving).
 * Later reads (a loser re-reading) pass at once.
 */
export function barrier(parties: number): () => Promise<void> {
  const waiting: (() => void)[] = [];
  return () =>
    new Promise<void>((resolve) => {
      if (waiting.length >= parties) return resolve();
      waiting.push(resolve);
      if (waiting.length === parties) for (const release of waiting) release();
    });
}
