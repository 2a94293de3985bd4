/** The column types a data collection rule's stream declaration may use. */
export type DcrColumnType = "string" | "int" | "long" | "real" | "boolean" | "datetime" | "dynamic";

/**
 * Whether Log Analytics keeps `value` in a column of the declared type. A value that does not
 * match the column's type is stored as null without an error (Azure Data Explorer, which Log
 * Analytics runs on, documents it under "Ingestion behavior of invalid data": "floating point value
 * ingested into an int column: NULL value filled"). The service converts what it can, so only a
 * value that certainly cannot convert is refused here: a numeric string fits a number column,
 * anything fits `string` (objects are kept as their JSON text) and `dynamic`. Null fits every type:
 * nothing is lost.
 */
export function fitsDcrType(type: DcrColumnType, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (type) {
    case "string":
    case "dynamic":
      return true;
    case "int":
      return isIntegerIn(value, int32Min, int32End);
    case "long":
      return isIntegerIn(value, int64Min, int64End);
    case "real":
      return typeof value === "number" || (typeof value === "string" && isNumeric(value));
    case "boolean":
      return (
        typeof value === "boolean" || value === 0 || value === 1 || (typeof value === "string" && /^(true|false)$/i.test(value))
      );
    case "datetime":
      // Date.parse also reads a bare number ("12") as a date; the service does not.
      return typeof value === "string" && !isNumeric(value) && !Number.isNaN(Date.parse(value));
  }
}

/** A short, log-safe account of a value: its JSON type and the start of its text. */
export function describeValue(value: unknown): string {
  const kind = Array.isArray(value) ? "array" : typeof value;
  const text = JSON.stringify(value) ?? String(value);
  return `${kind} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

// Ranges as [min, end). Integer text is compared exactly (BigInt): as a double, the largest long
// "9223372036854775807" would round up to 2^63 and look out of range.
const int32Min = -(2n ** 31n);
const int32End = 2n ** 31n;
const int64Min = -(2n ** 63n);
const int64End = 2n ** 63n;

function isIntegerIn(value: unknown, min: bigint, end: bigint): boolean {
  let n: bigint;
  if (typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value)) n = BigInt(value.trim().replace(/^\+/, ""));
  else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
  else return false;
  return n >= min && n < end;
}

function isNumeric(text: string): boolean {
  return text.trim() !== "" && !Number.isNaN(Number(text));
}
