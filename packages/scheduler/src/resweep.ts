import { gridWindows, type Logger, newWindow, type QueueSender, windowMessageId } from "@xdr-relay/core";

/**
 * Enqueues a late-arrival re-sweep (pass `sweep` ≥ 1) of the grid windows in `[fromMs, toMs)`.
 * Its window ids differ from the first pass's (the sweep is part of the id), so the windows run
 * again; the rows they find again carry the same row ids and are dropped as duplicates, while rows
 * that arrived late flow through.
 */
export async function enqueueResweep(args: {
  tenant: string;
  queries: readonly string[];
  fromMs: number;
  toMs: number;
  windowMs: number;
  sweep: number;
  windows: QueueSender;
  logger: Logger;
}): Promise<number> {
  if (!(args.sweep >= 1)) throw new RangeError(`a re-sweep is pass 1 or later, got ${args.sweep}`);
  const ranges = gridWindows(args.fromMs, args.toMs, args.windowMs);
  const bodies = args.queries.flatMap((query) =>
    ranges.map((range) => newWindow({ tenant: args.tenant, query, range, origin: "resweep", sweep: args.sweep })),
  );
  await args.windows.sendMessages(bodies.map((body) => ({ messageId: windowMessageId(body), body })));
  args.logger.info("resweepEnqueued", { tenant: args.tenant, windows: bodies.length, sweep: args.sweep });
  return bodies.length;
}
