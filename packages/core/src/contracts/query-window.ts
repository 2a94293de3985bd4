import { z } from "zod";

/** Why a window was enqueued: the first pass on the grid, a late-arrival re-sweep, a backfill, a
 * half of a split window, or an operator's replay from the dead-letter queue. */
export const WindowOrigin = z.enum(["schedule", "resweep", "backfill", "split", "replay"]);
export type WindowOrigin = z.infer<typeof WindowOrigin>;

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
    /** How many times the window was split from its grid window (0 for a grid window). */
    depth: z.number().int().min(0),
    origin: WindowOrigin,
    /** 0 for the first pass over the window, n for its n-th late-arrival re-sweep. */
    sweep: z.number().int().min(0).default(0),
    /** Last error, kept so a dead-lettered window says why its earlier attempts failed. */
    lastError: z.string().max(2000).optional(),
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
