import { z } from "zod";

/** Why a window was enqueued: the first pass on the grid, a late-arrival re-sweep, a backfill, a
 * half of a split window, or an operator's replay from the dead-letter queue. The halves of a
 * backfill window stay `backfill` (their `depth` says they are halves): the origin is what keeps
 * them in the backfill lane (`windowLane`). */
export const WindowOrigin = z.enum(["schedule", "resweep", "backfill", "split", "replay"]);
export type WindowOrigin = z.infer<typeof WindowOrigin>;

/**
 * The two window queues: `live` (queue `windows`) carries the scheduler's passes and is served
 * first; `backfill` (queue `windows-backfill`) carries backfills, fetched only while no live
 * window waits, so a 30-day backfill never delays the scheduled windows.
 */
export const WindowLane = z.enum(["live", "backfill"]);
export type WindowLane = z.infer<typeof WindowLane>;

/**
 * The lane a window message belongs to, read off its body (`unknown`: a retry copy or a half is
 * routed before anything parses it). Only a backfill's own windows, their halves and their retry
 * copies are `backfill`; anything else, a body that is not a window included, is `live`, where
 * the fetcher dead-letters what it cannot read. A backfill's late-arrival re-sweeps are
 * `resweep`: live, like the scheduler's own passes under the same ids.
 */
export function windowLane(body: unknown): WindowLane {
  return (body as { origin?: unknown } | null)?.origin === "backfill" ? "backfill" : "live";
}

const isoInstant = z.iso.datetime({ offset: false, precision: 3 });

/**
 * One query over a half-open time range `[start, end)` for one tenant.
 * Invariant: start < end, both on millisecond precision in UTC (`2026-11-26T04:45:00.000Z`).
 */
export const QueryWindow = z
  .object({
    version: z.literal(1),
    tenant: z.string().min(1).max(64),
    query: z.string().min(1).max(64),
    start: isoInstant,
    end: isoInstant,
    /** Attempts already spent on this window (0 on the first try). Throttling does not spend one. */
    attempt: z.number().int().min(0),
    /** Times the service throttled this window (429), which spend no attempt: backoff grows with them. */
    throttles: z.number().int().min(0).optional(),
    /** How many times the window was split from its grid window (0 for a grid window). */
    depth: z.number().int().min(0),
    origin: WindowOrigin,
    /** 0 for the first pass over the window, n for its n-th late-arrival re-sweep. */
    sweep: z.number().int().min(0).default(0),
    /** Last error, kept so a dead-lettered window says why its earlier attempts failed. */
    lastError: z.string().max(2000).optional(),
    /**
     * The backfill run a backfill window belongs to (`b-…`), kept by its retries and halves. What
     * `backfill cancel` drops by: a window that names no run is never dropped.
     */
    run: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), {
    message: "start must be before end",
    path: ["end"],
  });
export type QueryWindow = z.infer<typeof QueryWindow>;

/** Deterministic identity of a window: enqueueing the same window twice is harmless. */
export function windowId(w: Pick<QueryWindow, "tenant" | "query" | "start" | "end">): string {
  return `${w.tenant}|${w.query}|${w.start}|${w.end}`;
}
