import { shortHash } from "@xdr-relay/core";

/**
 * Column names Log Analytics reserves, and what a hunting column of that name becomes. Defender's
 * `Title` is the common one; the rest are renamed the same way so no value is ever dropped.
 */
export const reservedRenames: Readonly<Record<string, string>> = {
  Title: "AlertTitle",
  TenantId: "SourceTenantId",
  Type: "SourceType",
  id: "SourceId",
  UniqueId: "SourceUniqueId",
  _ResourceId: "SourceResourceId",
  _SubscriptionId: "SourceSubscriptionId",
  // Columns the sink adds itself: a hunting column of the same name must not overwrite them
  // (a foreign `RowId` would break de-duplication in KQL).
  TimeGenerated: "HuntingTimeGenerated",
  RowId: "HuntingRowId",
  SourceTenant: "HuntingSourceTenant",
};

const maxNameLength = 45;

/**
 * The table column for a hunting column: reserved names renamed, then made valid (letters, digits,
 * underscore, starting with a letter, at most 45 characters). Deterministic, so the same hunting
 * column always maps to the same table column.
 */
export function columnName(huntingName: string): string {
  let name = known.get(huntingName);
  if (name === undefined) {
    name = validColumnName(huntingName);
    // A query has a fixed set of columns, so this stays small; the cap guards against a source
    // that invents names (the cache is a speed-up, never needed for correctness).
    if (known.size < maxKnownNames) known.set(huntingName, name);
  }
  return name;
}

/**
 * The table columns for a row's (or a schema's) hunting columns, in their order: `columnName` of
 * each, except where two land on one name, ignoring case as the table's column names do
 * (`Account Upn` beside `Account_Upn`, `Title` beside `AlertTitle`, `DeviceName` beside
 * `devicename`). There the column already named so keeps the name (else the first in code-point
 * order), and each other one gets `_` and 6 hex digits of its hunting name's hash, within the 45
 * characters. Decided by the names alone, not their order, so every row with the same columns
 * maps alike; before, the later value overwrote the earlier one and the declaration listed the
 * name twice. The fetcher gives every row every column of its result (`EveryColumn`), so a row
 * never lacks the column that kept a name.
 */
export function columnNames(huntingNames: readonly string[]): string[] {
  const names = huntingNames.map(columnName);
  const keys = names.map((name) => name.toLowerCase());
  if (new Set(keys).size === names.length) return names;
  const holders = new Map<string, number>();
  for (const [i, key] of keys.entries()) {
    const holder = holders.get(key);
    if (holder === undefined || claimsFirst(huntingNames, names, i, holder)) holders.set(key, i);
  }
  return names.map((name, i) => {
    if (holders.get(keys[i] as string) === i) return name;
    return `${name.slice(0, maxNameLength - 7)}_${shortHash(huntingNames[i] as string).slice(0, 6)}`;
  });
}

/** Whether column `a` keeps a contested name rather than `b`: the one already named so, else the first in code-point order. */
function claimsFirst(hunting: readonly string[], names: readonly string[], a: number, b: number): boolean {
  const aExact = hunting[a] === names[a];
  const bExact = hunting[b] === names[b];
  if (aExact !== bExact) return aExact;
  return (hunting[a] as string) < (hunting[b] as string);
}

/** Every row of a query has the same columns: the mapping is computed once per name (it was ~5 % of the sink's CPU). */
const known = new Map<string, string>();
const maxKnownNames = 10_000;

function validColumnName(huntingName: string): string {
  // Own keys only: a column named `__proto__` (or `constructor`) is not a rename.
  const renamed = Object.hasOwn(reservedRenames, huntingName) ? (reservedRenames[huntingName] as string) : huntingName;
  let name = renamed.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z]/.test(name)) name = `c${name}`;
  return name.slice(0, maxNameLength);
}
