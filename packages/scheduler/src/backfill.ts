// The backfill's other parts, exported with it (the package index exports this file).
export * from "./backfill-estimate.ts";
export * from "./backfill-progress.ts";
export * from "./backfill-runs.ts";
export * from "./backfill-tally.ts";

import { gridWindows, type Logger, newWindow, type QueueSender, replayMessageId, windowMessageId } from "@xdr-relay/core";

/** Defender keeps advanced-hunting data for 30 days; older windows would come back empty. */
export const huntingRetentionMs = 30 * 24 * 60 * 60_000;

export interface BackfillRequest {
  readonly tenant: string;
  readonly queries: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly windowMs: number;
  readonly nowMs: number;
}

/** Refuses what cannot work, in words an operator can act on. Returns the problem or undefined. */
export function checkBackfill(r: BackfillRequest): string | undefined {
  if (!(r.fromMs < r.toMs)) return "--from must be before --to";
  if (r.toMs > r.nowMs) return "--to is in the future; the scheduler covers recent windows on its own";
  if (r.fromMs < r.nowMs - huntingRetentionMs) {
    const oldest = new Date(r.nowMs - huntingRetentionMs).toISOString();
    return `--from is older than Defender's 30 days of advanced-hunting data; the oldest start possible now is ${oldest}`;
  }
  return undefined;
}

/**
 * Enqueues every grid window of a past range, for each query, in sends of `batchSize`. Each
 * backfill gets fresh message ids (a backfill is asked for on purpose; duplicate detection must
 * not swallow it because the scheduler sent the same window recently); rows stay de-duplicated.
 */
export async function enqueueBackfill(args: {
  request: BackfillRequest;
  windows: QueueSender;
  logger: Logger;
  onProgress?: (sent: number, total: number) => void;
  batchSize?: number;
}): Promise<number> {
  const { request } = args;
  const ranges = gridWindows(request.fromMs, request.toMs, request.windowMs);
  const bodies = request.queries.flatMap((query) =>
    ranges.map((range) => newWindow({ tenant: request.tenant, query, range, origin: "backfill" })),
  );
  const batchSize = args.batchSize ?? 500;
  for (let i = 0; i < bodies.length; i += batchSize) {
    const slice = bodies.slice(i, i + batchSize);
    await args.windows.sendMessages(
      slice.map((body) => ({ messageId: replayMessageId(windowMessageId(body), request.nowMs), body })),
    );
    args.onProgress?.(Math.min(i + batchSize, bodies.length), bodies.length);
  }
  args.logger.info("backfillEnqueued", { tenant: request.tenant, windows: bodies.length });
  return bodies.length;
}
