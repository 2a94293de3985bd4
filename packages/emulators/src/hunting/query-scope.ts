import type { TimeRange } from "@xdr-relay/core";
import type { ResolvedEmulatorOptions } from "./emulator-options.ts";
import { badRequest, type GraphFailure } from "./graph-error.ts";
import { KqlError, parseHuntingQuery, type QueryPlan } from "./kql-subset.ts";
import type { QueryScope } from "./query-rows.ts";
import { intersect } from "./ranges.ts";
import type { SyntheticTenant } from "./synthetic-tenant.ts";
import { parseTimespan } from "./timespan.ts";

/**
 * The query and its Timespan, understood and narrowed to what the service would scan: the window
 * filter, within the Timespan, within the retention period, as of the emulator's now.
 */
export function queryScope(args: {
  options: ResolvedEmulatorOptions;
  tenant: SyntheticTenant;
  query: string;
  timespan: string | undefined;
}): QueryScope | GraphFailure {
  const { options, tenant, timespan } = args;
  const nowMs = options.now();
  let plan: QueryPlan;
  try {
    plan = parseHuntingQuery(args.query);
  } catch (e) {
    if (e instanceof KqlError) return badRequest(e.message, "Query");
    throw e;
  }
  const span = parseTimespan(timespan, nowMs);
  if (!span) {
    const forms = "start/end, P30D/end, start/P30D or P30D";
    return badRequest(`Timespan '${timespan}' is not an ISO 8601 interval such as ${forms}.`, "Timespan");
  }
  const retained: TimeRange = { startMs: nowMs - options.retentionMs, endMs: Number.POSITIVE_INFINITY };
  const range = intersect(intersect(plan.window ?? span, span), retained);
  return { tenant, plan, range, asOfMs: nowMs, rowCap: options.rowCap };
}
