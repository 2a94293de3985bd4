import type { SqliteDatabase } from "./database.ts";
import type { ResolvedQueueOptions } from "./options.ts";
import type { SettleBatch } from "./settle-batch.ts";

/** What a client shares with its senders and receivers. */
export interface QueueContext {
  readonly db: SqliteDatabase;
  readonly options: ResolvedQueueOptions;
  /** The file's absolute path: clients of one file share in-process wake-ups. */
  readonly fileKey: string;
  /** Aborted by `close()`: waiting receivers return at once. */
  readonly closed: AbortSignal;
  /** Settlements of one event-loop turn, committed together. */
  readonly settlements: SettleBatch;
}

export function assertOpen(context: QueueContext, what: string): void {
  if (context.closed.aborted) throw new Error(`${what}: the embedded queue client is closed`);
}
