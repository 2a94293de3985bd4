/** An item with the size of its JSON, so a batch can be cut at a byte limit. */
export interface Sized<T> {
  readonly item: T;
  readonly bytes: number;
}

/**
 * Cuts items into batches of at most `maxItems` and `maxBytes` (as a JSON array: items plus the
 * commas and brackets). An item larger than `maxBytes` gets a batch of its own; the service judges it.
 */
export function cutBatches<T>(items: readonly Sized<T>[], maxItems: number, maxBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 2;
  for (const { item, bytes: size } of items) {
    if (current.length > 0 && (current.length >= maxItems || bytes + size + 1 > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 2;
    }
    current.push(item);
    bytes += size + 1;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
