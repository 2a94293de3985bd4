import { findQuery, type Logger, type RelayConfig } from "@xdr-relay/core";

/**
 * The streams the configured queries upload to that `ingestion.streams` does not declare, each with
 * a query that feeds it. Their rows go out unchecked: the service drops a column its DCR does not
 * declare, and stores null for a value of the wrong type, without a word, and the sink cannot know
 * the DCR's columns unless they are configured.
 */
export function uncheckedStreams(config: RelayConfig): { stream: string; query: string }[] {
  const found = new Map<string, string>();
  for (const tenant of config.tenants) {
    for (const name of tenant.queries) {
      const stream = findQuery(config, name)?.stream;
      if (stream !== undefined && !Object.hasOwn(config.ingestion.streams, stream) && !found.has(stream)) {
        found.set(stream, name);
      }
    }
  }
  return [...found].map(([stream, query]) => ({ stream, query }));
}

/** Says once, as the sink starts, which streams go unchecked and how to check them. */
export function warnUncheckedStreams(config: RelayConfig, logger: Logger): void {
  for (const { stream, query } of uncheckedStreams(config)) {
    logger.warn("streamUnchecked", {
      stream,
      why: "no ingestion.streams declaration: a column the DCR does not declare, or a value of the wrong type, is lost by the service without an error",
      fix: `put the columns \`xdr-relay schema ${query}\` prints, as the DCR declares them, under ingestion.streams["${stream}"]`,
    });
  }
}
