import { builtInQueries } from "@xdr-relay/core";
import type { DcrStreamDeclaration } from "@xdr-relay/emulators";
import { GraphHuntingClient, probeSchema } from "@xdr-relay/fetcher";
import { streamColumns } from "@xdr-relay/sink";

/**
 * The DCR stream declarations for built-in queries, as an operator would write them: the columns
 * come from the hunting API's own schema for each query (asked of the loopback emulator).
 */
export async function declareStreams(
  huntingUrl: string,
  tenant: string,
  queries: readonly string[],
  nowMs: number,
): Promise<Record<string, DcrStreamDeclaration>> {
  const probe = new GraphHuntingClient({ url: huntingUrl, credentialFor: undefined, requestTimeoutMs: 10_000 });
  const streams: Record<string, DcrStreamDeclaration> = {};
  for (const name of queries) {
    const q = builtInQueries[name];
    if (!q) throw new Error(`built-in query ${name} is missing`);
    const schema = await probeSchema(probe, tenant, q.kql, nowMs);
    streams[q.stream] = { columns: streamColumns(schema), outputTable: `${q.stream.replace(/^Custom-/, "")}_CL` };
  }
  return streams;
}
