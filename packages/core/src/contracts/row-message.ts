import { z } from "zod";

/** A hunting result row as the API returned it: column name to value (dates as ISO strings). */
export const HuntingRow = z.record(z.string(), z.unknown());
export type HuntingRow = z.infer<typeof HuntingRow>;

/**
 * A row message's `row`, checked to be an object of columns but not copied. `HuntingRow` (a zod
 * record) rebuilds the object key by key: for a 20-column alert row that was ~7 µs of the sink's
 * ~10 µs parse of each message, and a second copy of every row alive until its upload answered.
 * The record schema checked no more than this: its keys are strings anyway and its values `unknown`.
 */
const RowColumns = z.custom<HuntingRow>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "row must be an object of columns",
);

/**
 * One result row on its way to Log Analytics. `rowId` is the row's identity (see `rowIdOf`): it is
 * the queue's `messageId`, so duplicate detection drops re-sends, and it lands in the table.
 */
export const RowMessage = z
  .object({
    version: z.literal(1),
    tenant: z.string().min(1),
    query: z.string().min(1),
    /** DCR stream the row goes to, e.g. `Custom-XdrAlertInfo`. */
    stream: z.string().min(1),
    /** Id of the window that produced the row (`tenant|query|start|end`), for tracing. */
    window: z.string().min(1),
    rowId: z.string().regex(/^[0-9a-f]{32}$/, "rowId is 32 lowercase hex characters"),
    /** Attempts already spent uploading this row (0 on the first try). */
    attempt: z.number().int().min(0).default(0),
    /** Times the service throttled this row (429), which spend no attempt: backoff grows with them. */
    throttles: z.number().int().min(0).optional(),
    row: RowColumns,
    /**
     * Set on a stand-in for a row whose message would exceed the queue's limit: `row` then holds only
     * the row's `Timestamp` and key columns, and the sink dead-letters it as `RowTooLarge` rather
     * than uploading it. Optional, so version 1 readers and writers stay compatible.
     */
    tooLarge: z
      .object({
        /** Size of the full row message, JSON in UTF-8. */
        bytes: z.number().int().positive(),
        /** The queue's limit it exceeded (`queue.maxMessageBytes`). */
        limitBytes: z.number().int().positive(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type RowMessage = z.infer<typeof RowMessage>;
