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
