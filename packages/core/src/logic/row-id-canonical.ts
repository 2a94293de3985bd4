/**
 * Canonical JSON: JSON with object keys sorted at every depth (by UTF-16 code units), so two equal
 * rows always serialise alike whatever order the API listed their columns in. It is what a row id
 * hashes, so its bytes must never change (a change would re-ingest every row as new); the
 * property test in row-id-canonical.test.ts holds it to the first release's definition.
 *
 * Defined for JSON values (what `JSON.parse` yields): strings, finite numbers, booleans, null,
 * arrays and plain objects. `undefined` members are left out and `undefined` array items become
 * null, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort(byCodeUnits);
  return membersJson("", obj, keys, keys.map(quoteKey));
}

/**
 * Canonical JSON of result rows, fast: every row of one result has the same columns in the same
 * order, so the sorted key order and the quoted keys are worked out once per column list rather
 * than once per row (the per-row sort, entry arrays and joins were most of the cost of an id).
 */
export class CanonicalRows {
  private columns: readonly string[] = [];
  private sorted: readonly string[] = [];
  private quoted: readonly string[] = [];

  /** `prefix` followed by the row's canonical JSON: a caller that hashes both saves a copy. */
  json(row: Readonly<Record<string, unknown>>, prefix = ""): string {
    const columns = Object.keys(row);
    if (!sameKeys(columns, this.columns)) {
      this.columns = columns;
      this.sorted = [...columns].sort(byCodeUnits);
      this.quoted = this.sorted.map(quoteKey);
    }
    return membersJson(prefix, row, this.sorted, this.quoted);
  }
}

/** `prefix{"k":v,...}` for `keys` in the order given, with their pre-quoted forms `"k":`. */
function membersJson(
  prefix: string,
  obj: Readonly<Record<string, unknown>>,
  keys: readonly string[],
  quoted: readonly string[],
): string {
  let out = `${prefix}{`;
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i] as string];
    if (v === undefined) continue;
    const json = typeof v === "object" && v !== null ? canonicalJson(v) : (JSON.stringify(v) ?? "null");
    out += first ? (quoted[i] as string) + json : `,${quoted[i] as string}${json}`;
    first = false;
  }
  return `${out}}`;
}

/** Whether two column lists are the same, in the same order: how per-row work is kept to once per column list. */
export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function quoteKey(key: string): string {
  return `${JSON.stringify(key)}:`;
}
