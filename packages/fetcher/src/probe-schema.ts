import type { HuntingApi, HuntingColumn } from "@xdr-relay/core";
import { windowedQuery, windowTimespan } from "@xdr-relay/core";

/**
 * A query's result columns, asked of the hunting API itself by running it over an empty,
 * one-millisecond window in the future: the schema comes back without any rows.
 */
export async function probeSchema(
  hunting: HuntingApi,
  tenant: string,
  kql: string,
  nowMs: number,
): Promise<readonly HuntingColumn[]> {
  const range = { startMs: nowMs + 86_400_000, endMs: nowMs + 86_400_001 };
  const result = await hunting.runHuntingQuery({ tenant, query: windowedQuery(kql, range), timespan: windowTimespan(range) });
  return result.schema;
}
