import { deadLetter, malformedDescription, type Outcome, RowMessage, rowTooLargeDescription } from "@xdr-relay/core";
import { toRecord } from "./record.ts";
import type { SinkDeps } from "./sink-deps.ts";

/** A row message ready to upload: its record and the record's size as JSON (for cutting batches). */
export interface PreparedRow {
  readonly kind: "upload";
  readonly message: RowMessage;
  readonly record: Record<string, unknown>;
  readonly bytes: number;
}

/**
 * Parses a row message body and turns it into its record, or into the outcome it gets without any
 * upload: malformed, a too-large stand-in, or (under `deadLetter`) a row with undeclared columns.
 */
export function prepareRow(
  deps: Pick<SinkDeps, "metrics" | "logger" | "schemaGuard">,
  body: unknown,
): PreparedRow | { readonly kind: "settled"; readonly outcome: Outcome } {
  const parsed = RowMessage.safeParse(body);
  if (!parsed.success) {
    deps.metrics.increment("rowsDeadLettered");
    return settled(deadLetter("MalformedMessage", malformedDescription("RowMessage", body, parsed.error)));
  }
  const message = parsed.data;
  // A stand-in for a row too large for one queue message carries only its keys: uploading it
  // would store a row with its data missing, so it is parked as RowTooLarge up front.
  if (message.tooLarge !== undefined) {
    deps.metrics.increment("rowsDeadLettered");
    return settled(deadLetter("RowTooLarge", rowTooLargeDescription(message, message.tooLarge)));
  }
  const record = toRecord(message);
  const drift = schemaDrift(deps, message.stream, record);
  if (drift !== undefined) return settled(drift);
  return { kind: "upload", message, record, bytes: Buffer.byteLength(JSON.stringify(record)) };
}

const settled = (outcome: Outcome) => ({ kind: "settled", outcome }) as const;

/**
 * A row with columns its stream does not declare: dead-lettered as `SchemaDrift` under that policy
 * (the row alone; its batch goes on), else uploaded as is and reported. Undefined: upload it.
 */
function schemaDrift(
  deps: Pick<SinkDeps, "metrics" | "logger" | "schemaGuard">,
  stream: string,
  record: Record<string, unknown>,
): Outcome | undefined {
  const check = deps.schemaGuard?.check(stream, record);
  if (check?.kind !== "drift") return undefined;
  deps.schemaGuard?.report(stream, check, deps.logger, deps.metrics);
  if (check.action === "warn") return undefined;
  deps.metrics.increment("rowsDeadLettered");
  return deadLetter("SchemaDrift", check.fix);
}
