/**
 * In-process wake-ups: a send (or abandon) wakes receivers of the same file and entity at once,
 * whichever client they belong to. Other processes' sends are found by polling.
 */
const waiting = new Map<string, Set<() => void>>();

export function wakeKey(fileKey: string, entity: string): string {
  return `${fileKey}\n${entity}`;
}

export function notifyReceivers(key: string): void {
  for (const wake of waiting.get(key) ?? []) wake();
}

/** Resolves after `ms`, on a notification for `key`, or when a signal aborts, whichever is first. */
export function waitForMessages(key: string, ms: number, signals: readonly AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((s) => s.aborted)) return resolve();
    const wake = () => {
      clearTimeout(timer);
      for (const signal of signals) signal.removeEventListener("abort", wake);
      const set = waiting.get(key);
      set?.delete(wake);
      if (set?.size === 0) waiting.delete(key);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    for (const signal of signals) signal.addEventListener("abort", wake, { once: true });
    const set = waiting.get(key) ?? new Set();
    set.add(wake);
    waiting.set(key, set);
  });
}
