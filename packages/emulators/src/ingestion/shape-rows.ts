import { fitsDcrType } from "@xdr-relay/core";
import type { DcrColumnType, DcrStreamDeclaration } from "./rules.ts";
import { landedTimeGenerated } from "./time-generated.ts";

/** Log Analytics truncates longer field values (64 KB) without an error. */
export const maxFieldValueBytes = 64 * 1024;

export interface ShapedRows {
  readonly rows: Record<string, unknown>[];
  /** Undeclared property name → how many records carried it (all dropped). */
  readonly columnsDropped: ReadonlyMap<string, number>;
  readonly timeGeneratedReplaced: number;
  readonly valuesTruncated: number;
  /** Values their column's declared type cannot hold, stored as null. */
  readonly valuesNulled: number;
}

/**
 * The rows as they land in the table, with the service's silent losses applied and counted:
 * properties the stream does not declare are dropped, an out-of-range `TimeGenerated` becomes the
 * receive time, string values over 64 KB are cut, a value its column's type cannot hold is stored
 * as null (as Azure Data Explorer documents for a type mismatch). A stream without `TimeGenerated` gets the receive
 * time, as the `extend TimeGenerated = now()` its DCR transform must then contain would give.
 * A record that lands unchanged becomes its row as it is (its `TimeGenerated` set): the records
 * are the caller's, parsed for this call.
 */
export function shapeRows(
  records: readonly Record<string, unknown>[],
  stream: DcrStreamDeclaration,
  receivedAtMs: number,
): ShapedRows {
  const declared = new Map<string, DcrColumnType>(stream.columns.map((c) => [c.name, c.type]));
  const losses: Losses = { columnsDropped: new Map(), valuesTruncated: 0, valuesNulled: 0 };
  let timeGeneratedReplaced = 0;
  const rows = records.map((record) => {
    // Most records land as sent: then the parsed record itself becomes the row (its
    // TimeGenerated set below). Rebuilt property by property, every row came out an object V8
    // serialises slowly, and shaping plus storing was most of the emulator's CPU, which the sink
    // bench's sink shares the machine with.
    const row = landsAsSent(record, declared) ? record : reshaped(record, declared, losses);
    const time = landedTimeGenerated(row["TimeGenerated"], receivedAtMs);
    if (time.replaced) timeGeneratedReplaced++;
    row["TimeGenerated"] = time.value;
    return row;
  });
  return { rows, timeGeneratedReplaced, ...losses };
}

interface Losses {
  readonly columnsDropped: Map<string, number>;
  valuesTruncated: number;
  valuesNulled: number;
}

/** A property the stream does not declare: it does not land at all. */
const dropped = Symbol("dropped");

/**
 * What one property lands as: `dropped`, null for a value its column's type cannot hold, or the
 * value (a string cut to 64 KB). TimeGenerated has its own rule (`landedTimeGenerated`): a value
 * that is no usable time becomes the receive time.
 */
function landed(name: string, value: unknown, declared: ReadonlyMap<string, DcrColumnType>): unknown {
  const type = declared.get(name);
  if (type === undefined) return dropped;
  if (name !== "TimeGenerated" && !fitsDcrType(type, value)) return null;
  return truncated(value);
}

/** Every property lands as sent: the record can be its own row. */
function landsAsSent(record: Record<string, unknown>, declared: ReadonlyMap<string, DcrColumnType>): boolean {
  for (const name in record) if (landed(name, record[name], declared) !== record[name]) return false;
  return true;
}

/** The row a record with losses lands as, the losses counted in `losses`. */
function reshaped(
  record: Record<string, unknown>,
  declared: ReadonlyMap<string, DcrColumnType>,
  losses: Losses,
): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const lands = landed(name, value, declared);
    if (lands === dropped) {
      losses.columnsDropped.set(name, (losses.columnsDropped.get(name) ?? 0) + 1);
      continue;
    }
    // Null fits every type, so a null that was not sent is a value nulled; any other change is a cut.
    if (lands === null && value !== null) losses.valuesNulled++;
    else if (lands !== value) losses.valuesTruncated++;
    row[name] = lands;
  }
  return row;
}

// Cuts at a UTF-8 character boundary, as a byte limit would. Only strings: how the service cuts
// an oversized `dynamic` value is not documented.
function truncated(value: unknown): unknown {
  if (typeof value !== "string" || value.length * 3 <= maxFieldValueBytes) return value;
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length <= maxFieldValueBytes) return value;
  let end = maxFieldValueBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}
