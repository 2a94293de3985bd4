import { builtInQueries, rowIdsOf, type TimeRange } from "@xdr-relay/core";
import { parseHuntingQuery, type SyntheticTenant } from "@xdr-relay/emulators";

/** One row the emulator holds: its id as the fetcher computes it, and its Timestamp. */
export interface ExpectedRow {
  readonly query: string;
  readonly timestampMs: number;
}

/**
 * Every row the tenant holds for `range` as of `asOfMs`, keyed by the rowId the fetcher gives it:
 * the query's projection of each row, as the emulator serves it, numbered by `rowIdsOf` over the
 * whole range (identical rows share a Timestamp, so they are always numbered within one window,
 * in the same order).
 */
export function expectedRows(
  tenant: SyntheticTenant,
  queries: readonly string[],
  range: TimeRange,
  asOfMs: number,
): Map<string, ExpectedRow> {
  const expected = new Map<string, ExpectedRow>();
  for (const query of queries) {
    const definition = builtInQueries[query];
    if (!definition) throw new Error(`not a built-in query: ${query}`);
    const plan = parseHuntingQuery(definition.kql);
    const kept = (row: Record<string, unknown>) => plan.filters.every((f) => f.values.has(String(row[f.column])));
    const rows = [...tenant.rows(plan.table, range, asOfMs)].filter(kept).map((row) => {
      const projected: Record<string, unknown> = {};
      for (const c of plan.columns) projected[c.name] = (row as Record<string, unknown>)[c.name] ?? null;
      return projected;
    });
    const ids = rowIdsOf(tenant.id, query, rows);
    ids.forEach((id, i) => {
      expected.set(id, { query, timestampMs: Date.parse(String(rows[i]?.["Timestamp"])) });
    });
  }
  return expected;
}
