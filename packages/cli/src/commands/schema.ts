import { builtInQueries, type HuntingApi, type HuntingColumn, queryDefinition, type RelayConfig } from "@xdr-relay/core";
import { GraphHuntingClient, huntingCredentials, probeSchema } from "@xdr-relay/fetcher";
import { queueOnlyDefaults, tenantFreeDefaults } from "../config/queue-only-defaults.ts";
import { offlineSchema } from "../schema/offline-schema.ts";
import { schemaReport } from "../schema/schema-report.ts";
import { UsageError } from "./usage-error.ts";

export interface SchemaOptions {
  /** The query's name, as in `tenants[].queries` (built-in or from `queries`). */
  readonly query: string | undefined;
  /** Ask the hunting API (the first configured tenant) instead of the offline table. */
  readonly live: boolean;
  /** The hunting API to probe with `live`; default: Graph from the config. Tests pass an emulator. */
  readonly hunting?: HuntingApi;
  readonly print?: (text: string) => void;
}

/**
 * `xdr-relay schema <query>`: prints (JSON on stdout) the DCR stream declaration, the table columns
 * (ARM and `az` forms) and the `ingestion.streams` entry a query's rows need. Offline first: the
 * built-in tables' schema is known, so this works before any credential or role exists; a query
 * the offline table cannot answer (other tables, `extend`, `summarize`) needs `--live`, which runs
 * it over an empty future window against the hunting API. Exit 0, or 2 for a usage problem.
 */
export async function schemaCommand(config: RelayConfig, options: SchemaOptions): Promise<number> {
  const name = options.query;
  const known = Object.keys({ ...builtInQueries, ...config.queries });
  if (!name) throw new UsageError(`schema needs a query name: one of ${known.join(", ")}`);
  if (!known.includes(name)) throw new UsageError(`unknown query "${name}"; known: ${known.join(", ")}`);
  const definition = queryDefinition(config, name);
  const { schema, source } = options.live ? await liveSchema(config, definition.kql, options.hunting) : offline(definition.kql);
  const report = schemaReport({ query: name, stream: definition.stream, source, schema });
  (options.print ?? console.log)(JSON.stringify(report, null, 2));
  return 0;
}

/**
 * What `schema` does without: it runs before the rule exists (it says what the rule must declare),
 * so no ingestion endpoint or rule id is needed, and offline no tenant either (`--live` asks the
 * first one's hunting API). The config file and environment still supply custom queries, and any
 * of these the operator did set is checked as usual.
 */
export function schemaDefaults(live: boolean): Record<string, unknown> {
  return { ...(live ? queueOnlyDefaults : tenantFreeDefaults) };
}

function offline(kql: string): { schema: readonly HuntingColumn[]; source: string } {
  const result = offlineSchema(kql);
  if (result.kind === "unknown") {
    throw new UsageError(
      `cannot tell this query's columns offline (${result.why}); run again with --live to ask the hunting API`,
    );
  }
  return { schema: result.columns, source: `offline: known schema of ${result.table}` };
}

async function liveSchema(
  config: RelayConfig,
  kql: string,
  hunting: HuntingApi | undefined,
): Promise<{ schema: readonly HuntingColumn[]; source: string }> {
  const tenant = config.tenants[0]?.id ?? "";
  const api =
    hunting ??
    new GraphHuntingClient({
      url: config.hunting.url,
      credentialFor: huntingCredentials(config.auth, config.hunting.url),
      requestTimeoutMs: config.hunting.requestTimeoutMs,
    });
  const schema = await probeSchema(api, tenant, kql, Date.now());
  return { schema, source: `live: ${config.hunting.url} (tenant ${tenant})` };
}
