import { builtInQueries, type OutgoingMessage } from "../../packages/core/src/index.ts";
import { parseHuntingQuery, SyntheticTenant, type TableColumn } from "../../packages/emulators/src/index.ts";
import { RowMessageBuilder } from "../../packages/fetcher/src/index.ts";

/**
 * Row messages as the fetcher puts them on the rows queue: AlertEvidence rows from a seeded
 * SyntheticTenant, projected to the built-in `alert-evidence` query's columns, made by `rowMessages`.
 * Deterministic, so the in-process baseline and the preloaded queue hold the same rows.
 */
export const benchQuery = "alert-evidence";
const definition = builtInQueries[benchQuery];
if (!definition) throw new Error(`built-in query ${benchQuery} is missing`);
export const benchStream = definition.stream;
export const benchColumns: readonly TableColumn[] = parseHuntingQuery(definition.kql).columns;

const hourMs = 3_600_000;

/** Yields `total` row messages in chunks of `chunkRows` (one `rowMessages` call per chunk). */
export function* rowMessageChunks(total: number, chunkRows: number): Generator<OutgoingMessage[]> {
  const startMs = Math.floor((Date.now() - 30 * hourMs) / hourMs) * hourMs;
  // Evidence per alert is random around 3: ask for 5 % more alerts so the tenant has `total` rows.
  const alerts = Math.ceil((total / 3) * 1.05) + 100;
  const tenant = new SyntheticTenant({
    id: "contoso",
    seed: 7,
    startMs,
    endMs: startMs + 24 * hourMs,
    alertsPerHour: 0,
    bursts: [{ startMs, endMs: startMs + 24 * hourMs, alerts }],
  });
  const names = benchColumns.map((c) => c.name);
  // One builder for every chunk, as the fetcher does for a result: it numbers identical rows (the
  // tenant makes a few), which one builder per chunk would give the same id, and the queue drop.
  const builder = new RowMessageBuilder({ tenant: tenant.id, query: benchQuery, stream: benchStream, window: "bench" });
  let chunk: Record<string, unknown>[] = [];
  let sent = 0;
  const flush = () => {
    const { messages } = builder.build(chunk);
    sent += chunk.length;
    chunk = [];
    return messages;
  };
  for (const row of tenant.rows("AlertEvidence", { startMs, endMs: startMs + 24 * hourMs }, Number.POSITIVE_INFINITY)) {
    const projected: Record<string, unknown> = {};
    for (const name of names) projected[name] = (row as Record<string, unknown>)[name] ?? null;
    chunk.push(projected);
    if (sent + chunk.length >= total) break;
    if (chunk.length >= chunkRows) yield flush();
  }
  if (chunk.length > 0) yield flush();
}
