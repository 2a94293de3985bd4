import type { ExpectedRow } from "./expected-rows.ts";
import type { RowsOnQueue } from "./rows-on-queue.ts";

/** Rows of `expected` that belong to window `id` (`tenant|query|start|end`). */
export function rowsOfWindow(expected: ReadonlyMap<string, ExpectedRow>, id: string): number {
  const [, query, start, end] = id.split("|");
  const startMs = Date.parse(String(start));
  const endMs = Date.parse(String(end));
  let n = 0;
  for (const row of expected.values()) if (row.query === query && row.timestampMs >= startMs && row.timestampMs < endMs) n++;
  return n;
}

/**
 * Waits until a big window is half on the queue: some of its rows sent, not all, so its window
 * message is still locked and not completed. That is the moment a crash must not lose or double
 * anything. Returns the window's id and how many rows it holds.
 */
export async function windowHalfSent(args: {
  rows: RowsOnQueue;
  expected: ReadonlyMap<string, ExpectedRow>;
  minRows: number;
  timeoutMs: number;
}): Promise<{ window: string; total: number }> {
  const totals = new Map<string, number>();
  const deadline = Date.now() + args.timeoutMs;
  while (Date.now() < deadline) {
    await args.rows.refresh();
    for (const [window, sent] of args.rows.byWindow) {
      if (!totals.has(window)) totals.set(window, rowsOfWindow(args.expected, window));
      const total = totals.get(window) as number;
      if (total >= args.minRows && sent < total) return { window, total };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no window of ${args.minRows}+ rows was caught half sent within ${args.timeoutMs} ms`);
}
