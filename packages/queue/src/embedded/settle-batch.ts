import { inWriteTransaction, type SqliteDatabase } from "./database.ts";

interface Pending {
  readonly settle: () => void;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Gathers the settlements asked for in one turn of the event loop (a host settles a whole
 * received batch at once) and commits them in one transaction. Each keeps its own outcome: one
 * lost lock rejects that settlement alone. One commit instead of thousands is what lets the sink
 * settle as fast as it uploads.
 */
export class SettleBatch {
  private pending: Pending[] = [];

  constructor(private readonly db: SqliteDatabase) {}

  submit(settle: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ settle, resolve, reject });
      if (this.pending.length === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const failures = new Map<Pending, unknown>();
    try {
      inWriteTransaction(
        this.db,
        () => {
          for (const p of batch) {
            try {
              p.settle();
            } catch (e) {
              failures.set(p, e);
            }
          }
        },
        "redelivery",
      );
    } catch (e) {
      // The commit itself failed: nothing in the batch was settled.
      for (const p of batch) p.reject(e);
      return;
    }
    for (const p of batch) {
      if (failures.has(p)) p.reject(failures.get(p));
      else p.resolve();
    }
  }
}
