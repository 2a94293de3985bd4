import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every depth, so two equal rows always serialise alike whatever
 * order the API listed their columns in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** 128 bits of SHA-256 as lowercase hex: short enough for a message id, too wide to collide. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/**
 * A row's identity: the same row of the same query for the same tenant always gets the same id,
 * whichever window, re-sweep or replay fetched it. It is the queue message id (duplicate detection)
 * and the `RowId` column in Log Analytics (de-duplication in KQL).
 *
 * `occurrence` tells apart rows that are identical in every column (Defender does return such
 * rows, e.g. two evidence rows of one alert that differ only in columns the query left out): the
 * k-th copy in a result gets occurrence k. Identical rows share their `Timestamp`, so they always
 * fall in the same window, and every fetch of that window numbers them alike.
 */
export function rowIdOf(tenant: string, query: string, row: Record<string, unknown>, occurrence = 0): string {
  return rowIdOfCanonical(tenant, query, canonicalJson(row), occurrence);
}

export function rowIdOfCanonical(tenant: string, query: string, canonical: string, occurrence: number): string {
  const suffix = occurrence === 0 ? "" : `\n#${occurrence}`;
  return shortHash(`${tenant}\n${query}\n${canonical}${suffix}`);
}

/** Row ids for a whole result, numbering identical rows in the order they came. */
export function rowIdsOf(tenant: string, query: string, rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const canonical = canonicalJson(row);
    const occurrence = seen.get(canonical) ?? 0;
    seen.set(canonical, occurrence + 1);
    return rowIdOfCanonical(tenant, query, canonical, occurrence);
  });
}
