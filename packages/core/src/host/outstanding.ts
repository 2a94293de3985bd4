/**
 * Counts messages taken but not yet settled, and of those the ones whose settlement is running, so
 * a host can wait until every one of them is settled, or until few enough settlements are pending
 * to take more. `taken()` when a message is handed over; `track(settlement)` once its outcome is known.
 */
export class Outstanding {
  private count = 0;
  /** Settlements started and not yet finished. */
  private settlingCount = 0;
  private waiters: { readonly ready: () => boolean; readonly wake: () => void }[] = [];

  get size(): number {
    return this.count;
  }

  taken(): void {
    this.count++;
  }

  /** The settlement never rejects (hosts catch and log), so a failure still counts the message done. */
  track(settlement: Promise<void>): void {
    this.settlingCount++;
    const done = () => {
      this.count--;
      this.settlingCount--;
      this.wakeReady();
    };
    // Both ways: a settlement that rejects after all must not become an unhandled rejection.
    settlement.then(done, done);
  }

  /** Resolves once nothing is outstanding. */
  settled(): Promise<void> {
    return this.when(() => this.count === 0);
  }

  /** Resolves once at most `max` settlements are running, or when `signal` aborts. */
  settlingAtMost(max: number, signal: AbortSignal): Promise<void> {
    return this.when(() => this.settlingCount <= max || signal.aborted, signal);
  }

  private when(ready: () => boolean, signal?: AbortSignal): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w.wake !== wake);
        wake();
      };
      this.waiters.push({ ready, wake });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private wakeReady(): void {
    const ready = this.waiters.filter((w) => w.ready());
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.wake();
  }
}
