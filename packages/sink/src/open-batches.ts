/** An item with the size of its JSON, as `cutBatches` counts it. */
export interface SizedItem {
  readonly bytes: number;
}

interface OpenBatch<T> {
  readonly items: T[];
  /** As a JSON array: the items, the commas and the brackets. */
  bytes: number;
  /** `performance.now()` by which the batch ships, full or not. */
  dueAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * One batch being filled per stream, carried across receives: a batch that is not full waits for
 * the next rows instead of shipping part-full, so upload calls approach ⌈bytes / limit⌉. It ships
 * when the next item would not fit (`maxRows`, `maxBytes`, cut as `cutBatches` cuts), when it holds
 * `maxRows`, when the shortest wait of its items runs out, or on `shipAll`.
 */
export class OpenBatches<T extends SizedItem> {
  private readonly open = new Map<string, OpenBatch<T>>();

  constructor(
    private readonly limits: { readonly maxRows: number; readonly maxBytes: number },
    private readonly ship: (stream: string, items: T[]) => void,
  ) {}

  /** Adds an item that may wait at most `waitMs` for company before its batch ships. */
  add(stream: string, item: T, waitMs: number): void {
    let batch = this.open.get(stream);
    if (batch !== undefined && batch.bytes + item.bytes + 1 > this.limits.maxBytes) {
      this.shipOne(stream);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { items: [], bytes: 2, dueAt: Number.POSITIVE_INFINITY, timer: undefined };
      this.open.set(stream, batch);
    }
    batch.items.push(item);
    batch.bytes += item.bytes + 1;
    if (batch.items.length >= this.limits.maxRows) {
      this.shipOne(stream);
      return;
    }
    const dueAt = performance.now() + waitMs;
    if (dueAt >= batch.dueAt) return;
    batch.dueAt = dueAt;
    clearTimeout(batch.timer);
    batch.timer = setTimeout(() => this.shipOne(stream), waitMs);
  }

  /** Items waiting, all streams. */
  get size(): number {
    let n = 0;
    for (const batch of this.open.values()) n += batch.items.length;
    return n;
  }

  shipAll(): void {
    for (const stream of [...this.open.keys()]) this.shipOne(stream);
  }

  private shipOne(stream: string): void {
    const batch = this.open.get(stream);
    if (batch === undefined) return;
    clearTimeout(batch.timer);
    this.open.delete(stream);
    this.ship(stream, batch.items);
  }
}
