import { hash } from "node:crypto";
import { CanonicalRows, canonicalJson } from "./row-id-canonical.ts";

export { CanonicalRows, canonicalJson, sameKeys } from "./row-id-canonical.ts";

/** 128 bits of SHA-256 as lowercase hex: short enough for a message id, too wide to collide. */
export function shortHash(text: string): string {
  // One-shot `hash` (Node ≥ 20.12): same digest as createHash, without a Hash object per call.
  return hash("sha256", text, "hex").slice(0, 32);
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
  return shortHash(`${tenant}\n${query}\n${canonical}${occurrenceSuffix(occurrence)}`);
}

/** Row ids for a whole result, numbering identical rows in the order they came. */
export function rowIdsOf(tenant: string, query: string, rows: readonly Record<string, unknown>[]): string[] {
  const identities = new RowIdentities(tenant, query);
  return rows.map((row) => identities.next(row).rowId);
}

export interface RowIdentity {
  readonly rowId: string;
  /** Length of the row's canonical JSON: for JSON rows, also the length of `JSON.stringify(row)`. */
  readonly canonicalLength: number;
}

/**
 * The ids of one result's rows, given one by one (a result can be handled in chunks): the same ids
 * as `rowIdOf`, with identical rows numbered in the order they come.
 */
export class RowIdentities {
  private readonly prefix: string;
  private readonly rows = new CanonicalRows();
  /**
   * Copies seen so far, keyed by the first copy's id rather than by the row's text, which would
   * keep a second copy of the whole result in memory. Two different rows sharing a key would
   * need a 128-bit SHA-256 collision, and would then share their id anyway.
   */
  private readonly seen = new Map<string, number>();

  constructor(tenant: string, query: string) {
    this.prefix = `${tenant}\n${query}\n`;
  }

  next(row: Readonly<Record<string, unknown>>): RowIdentity {
    const text = this.rows.json(row, this.prefix);
    const canonicalLength = text.length - this.prefix.length;
    const firstId = shortHash(text);
    const occurrence = this.seen.get(firstId) ?? 0;
    this.seen.set(firstId, occurrence + 1);
    const rowId = occurrence === 0 ? firstId : shortHash(text + occurrenceSuffix(occurrence));
    return { rowId, canonicalLength };
  }
}

function occurrenceSuffix(occurrence: number): string {
  return occurrence === 0 ? "" : `\n#${occurrence}`;
}
