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
      return typeof value === "boolean" || value === 0 || value === 1 || /^(true|false)$/i.test(String(value));
    case "datetime":
      return typeof value === "string" && !Number.isNaN(Date.parse(value));
  }
}

/** A short, log-safe account of a value: its JSON type and the start of its text. */
export function describeValue(value: unknown): string {
  const kind = Array.isArray(value) ? "array" : typeof value;
  const text = JSON.stringify(value) ?? String(value);
  return `${kind} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

// Ranges as [min, end): doubles cannot hold 2^63 - 1 exactly, and an exclusive end needs no -1.
const int32Min = -(2 ** 31);
const int32End = 2 ** 31;
const int64Min = -(2 ** 63);
const int64End = 2 ** 63;

function isIntegerIn(value: unknown, min: number, end: number): boolean {
  const n = typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= min && n < end;
}

function isNumeric(text: string): boolean {
  return text.trim() !== "" && !Number.isNaN(Number(text));
}
