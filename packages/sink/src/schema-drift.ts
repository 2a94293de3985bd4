import type { Logger, Metrics } from "@xdr-relay/core";

/** What to do with a row carrying columns its stream does not declare. */
export type SchemaDriftPolicy = "deadLetter" | "warn";

/** A stream's declared columns, as configured (`ingestion.streams`). */
export interface DeclaredStream {
  readonly columns: readonly { readonly name: string }[];
}

/**
 * The record's columns its stream does not declare, sorted. The service drops these without an
 * error, so they are the values a row would silently lose. A property whose value is `undefined`
 * is not sent (JSON has no such value) and so cannot be lost.
 */
export function undeclaredColumns(record: Readonly<Record<string, unknown>>, declared: ReadonlySet<string>): string[] {
  return Object.keys(record)
    .filter((name) => record[name] !== undefined && !declared.has(name))
    .sort();
}

/** The verdict for one record: upload it, or the columns it would lose and what the policy says. */
export type SchemaCheck =
  | { readonly kind: "declared" }
  | { readonly kind: "drift"; readonly columns: readonly string[]; readonly action: SchemaDriftPolicy; readonly fix: string };

/**
 * Checks records against the configured stream declarations. A stream with no declaration is not
 * checked (the sink cannot know its columns; `xdr-relay schema` prints what to configure). Under
 * `warn`, each stream and set of undeclared columns is logged once per process, not once per row.
 */
export class SchemaGuard {
  private readonly declared: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly warned = new Set<string>();

  constructor(
    streams: Readonly<Record<string, DeclaredStream>>,
    private readonly policy: SchemaDriftPolicy,
  ) {
    this.declared = new Map(Object.entries(streams).map(([name, s]) => [name, new Set(s.columns.map((c) => c.name))]));
  }

  check(stream: string, record: Readonly<Record<string, unknown>>): SchemaCheck {
    const declared = this.declared.get(stream);
    if (declared === undefined) return { kind: "declared" };
    const columns = undeclaredColumns(record, declared);
    if (columns.length === 0) return { kind: "declared" };
    return { kind: "drift", columns, action: this.policy, fix: driftFix(stream, columns) };
  }

  /** Counts a drifted row; under `warn`, logs the first row of each stream and column set. */
  report(stream: string, columns: readonly string[], logger: Logger, metrics: Metrics): void {
    metrics.increment("rowsSchemaDrifted");
    if (this.policy !== "warn") return;
    const key = `${stream}\u0000${columns.join("\u0000")}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    logger.warn("rowsSchemaDrifted", { stream, columns, fix: driftFix(stream, columns) });
  }
}

/** Operator words: which columns, where to add them, and how to get the parked rows back. */
function driftFix(stream: string, columns: readonly string[]): string {
  const table = `${stream.replace(/^Custom-/, "")}_CL`;
  return (
    `columns ${columns.join(", ")} are not declared by stream ${stream}, so Log Analytics would drop them: ` +
    `add them to the DCR's streamDeclarations["${stream}"], to the table its data flow writes to (${table} by convention) and to ingestion.streams["${stream}"] ` +
    `(xdr-relay schema <query> prints all three), then run xdr-relay dlq replay --queue rows`
  );
}
