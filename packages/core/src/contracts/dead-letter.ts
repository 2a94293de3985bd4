import { z } from "zod";

/**
 * The fixed list of reasons a message is parked in the dead-letter queue. Each one tells an
 * operator what to fix before `xdr-relay dlq replay`.
 */
export const DeadLetterReason = z.enum([
  /** The body is not a message this version understands (not JSON, or fails its schema). */
  "MalformedMessage",
  /** The hunting API refused the query itself (400 that is not about result size). */
  "BadQuery",
  /** A window of a tenant this deployment's config no longer names (it was removed after the window was queued). */
  "UnknownTenant",
  /** The hunting API kept failing with retryable errors until `maxAttempts`. */
  "FetchFailed",
  /** A possibly truncated result on a window already at the smallest size allowed. */
  "WindowCannotSplit",
  /** A window fetched after its whole range fell out of Defender's 30 days: its rows are gone. */
  "WindowExpired",
  /** A row that cannot fit in one queue message. */
  "RowTooLarge",
  /** The Logs Ingestion API rejected the row (400) after bisecting its batch. */
  "IngestionRejected",
  /** The Logs Ingestion API kept failing with retryable errors until `maxAttempts`. */
  "IngestionFailed",
  /** The row has columns the DCR stream does not declare (the service would drop them silently). */
  "SchemaDrift",
  /** Set by the queue itself: delivered `maxDeliveryCount` times without being settled. */
  "MaxDeliveryCountExceeded",
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;
