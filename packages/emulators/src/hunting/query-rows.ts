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

/**
 * A query's result rows in Timestamp order, computed as they are pulled. The row cap keeps the
 * first `rowCap` rows and drops the rest without a word, as the service does: the client has to
 * notice a full page itself. `onRow` hears each returned row's index.
 */
export function* queryRows(scope: QueryScope, onRow?: (index: number) => void): Generator<SyntheticRow, void, undefined> {
  const { tenant, plan, range, asOfMs, rowCap } = scope;
  let returned = 0;
  for (const index of tenant.rowIndexes(plan.table, range, asOfMs)) {
    if (returned >= rowCap) return;
    const row: SyntheticRow = tenant.row(plan.table, index);
    if (!plan.filters.every((f) => f.values.has(String(row[f.column])))) continue;
    returned++;
    onRow?.(index);
    yield row;
  }
}
