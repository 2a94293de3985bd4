import { completeAll } from "./complete-batch.ts";
import { inWriteTransaction, type SqliteDatabase, transactionLost } from "./database.ts";
import type { LockRef } from "./lock-ref.ts";

interface Outcome {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/** A complete is kept as data, so a run of them is applied by one statement; any other settlement as code. */
type CompletePending = Outcome & { readonly complete: LockRef };
type Pending = CompletePending | (Outcome & { readonly settle: () => void });

/**
 * Gathers the settlements asked for in one turn of the event loop (a host settles a whole
 * received batch at once) and commits them in one transaction. Each keeps its own outcome: one
 * lost lock rejects that settlement alone. One commit instead of thousands is what lets the sink
 * settle as fast as it uploads.
 *
 * Settlements apply in the order they were asked for. Consecutive completes run as one statement
 * (`completeAll`), which gives each the outcome it would have had alone.
 */
export class SettleBatch {
  private pending: Pending[] = [];

  constructor(private readonly db: SqliteDatabase) {}

  /** Completes a message: deletes it if its lock is still held, else rejects with MessageLockLost. */
  complete(ref: LockRef): Promise<void> {
    return this.enqueue((outcome) => ({ ...outcome, complete: ref }));
  }

  /** Runs `settle` in its own savepoint: if it throws, its writes are undone and it alone rejects. */
  submit(settle: () => void): Promise<void> {
    return this.enqueue((outcome) => ({ ...outcome, settle }));
  }

  private enqueue(make: (outcome: Outcome) => Pending): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push(make({ resolve, reject }));
      if (this.pending.length === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const failures = new Map<Pending, unknown>();
    try {
      inWriteTransaction(this.db, () => applyInOrder(this.db, batch, failures), "redelivery");
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

function applyInOrder(db: SqliteDatabase, batch: readonly Pending[], failures: Map<Pending, unknown>): void {
  for (let i = 0; i < batch.length; ) {
    const p = batch[i] as Pending;
    if ("settle" in p) {
      try {
        p.settle(); // in a savepoint of its own (`inWriteTransaction` nests)
      } catch (e) {
        // The whole batch was rolled back (a full disk): every settlement in it fails with `e`.
        if (transactionLost(db)) throw e;
        failures.set(p, e);
      }
      i++;
      continue;
    }
    let end = i + 1;
    while (end < batch.length && "complete" in (batch[end] as Pending)) end++;
    applyCompletes(db, batch.slice(i, end) as CompletePending[], failures);
    i = end;
  }
}

function applyCompletes(db: SqliteDatabase, run: readonly CompletePending[], failures: Map<Pending, unknown>): void {
  try {
    const errors = completeAll(
      db,
      run.map((p) => p.complete),
    );
    run.forEach((p, k) => {
      if (errors[k] !== undefined) failures.set(p, errors[k]);
    });
  } catch (e) {
    if (transactionLost(db)) throw e;
    // One statement: when it fails, SQLite undoes all of it, so every complete of the run failed.
    for (const p of run) failures.set(p, e);
  }
}
