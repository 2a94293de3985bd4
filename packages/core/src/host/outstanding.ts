/**
 * Counts messages taken but not yet settled, so a host can wait until every one of them is.
 * `taken()` when a message is handed over; `track(settlement)` once its outcome is known.
 */
export class Outstanding {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  taken(): void {
    this.count++;
  }

  /** The settlement never rejects (hosts catch and log), so a failure still counts the message done. */
  track(settlement: Promise<void>): void {
    const done = () => {
      this.count--;
      if (this.count > 0) return;
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
    // Both ways: a settlement that rejects after all must not become an unhandled rejection.
    settlement.then(done, done);
  }

  /** Resolves once nothing is outstanding. */
  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
