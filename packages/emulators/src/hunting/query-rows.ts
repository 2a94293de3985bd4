import type { TimeRange } from "@xdr-relay/core";
import type { QueryPlan } from "./kql-subset.ts";
import type { SyntheticTenant } from "./synthetic-tenant.ts";
import type { SyntheticRow } from "./tables.ts";

export interface QueryScope {
  readonly tenant: SyntheticTenant;
  readonly plan: QueryPlan;
  /** Already narrowed to the window, the Timespan and the retention limit. */
  readonly range: TimeRange;
  readonly asOfMs: number;
  readonly rowCap: number;
}

export interface QueryHooks {
  /** Hears the table index of each row returned. */
  readonly onRow?: (index: number) => void;
  /** Hears the table index of each visible row in range looked at, filtered out or not. */
  readonly onScan?: (index: number) => void;
}

/**
 * A query's result rows in Timestamp order, computed as they are pulled. The row cap keeps the
 * first `rowCap` rows and drops the rest without a word, as the service does: the client has to
 * notice a full page itself.
 */
export function* queryRows(scope: QueryScope, hooks: QueryHooks = {}): Generator<SyntheticRow, void, undefined> {
  const { tenant, plan, range, asOfMs, rowCap } = scope;
  let returned = 0;
  for (const index of tenant.rowIndexes(plan.table, range, asOfMs)) {
    if (returned >= rowCap) return;
    hooks.onScan?.(index);
    const row: SyntheticRow = tenant.row(plan.table, index);
    if (!plan.filters.every((f) => f.values.has(String(row[f.column])))) continue;
    returned++;
    hooks.onRow?.(index);
    yield row;
  }
}
