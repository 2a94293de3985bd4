import { type DcrColumnType, describeValue, fitsDcrType, type Logger, type Metrics } from "@xdr-relay/core";

/** What to do with a row carrying columns its stream does not declare, or values its types cannot hold. */
export type SchemaDriftPolicy = "deadLetter" | "warn";

/** A stream's declared columns, as configured (`ingestion.streams`). Without a type, any value fits. */
export interface DeclaredStream {
  readonly columns: readonly { readonly name: string; readonly type?: DcrColumnType }[];
}

/** A value its column's declared type cannot hold: the service would store null instead. */
export interface TypeMismatch {
  readonly column: string;
  readonly declared: DcrColumnType;
  readonly value: string;
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

/**
 * The record's values whose column is declared with a type that cannot hold them, in record order.
 * Log Analytics stores null for each of them without an error.
 */
export function mistypedValues(
  record: Readonly<Record<string, unknown>>,
  types: ReadonlyMap<string, DcrColumnType>,
): TypeMismatch[] {
  const mismatches: TypeMismatch[] = [];
  for (const [column, value] of Object.entries(record)) {
    const declared = types.get(column);
    if (declared !== undefined && !fitsDcrType(declared, value)) {
      mismatches.push({ column, declared, value: describeValue(value) });
    }
  }
  return mismatches;
}

/**
 * The verdict for one record: upload it, or the columns whose values it would lose (undeclared or
 * mistyped, sorted) and what the policy says.
 */
export type SchemaCheck =
  | { readonly kind: "declared" }
  | { readonly kind: "drift"; readonly columns: readonly string[]; readonly action: SchemaDriftPolicy; readonly fix: string };

interface StreamColumns {
  readonly names: ReadonlySet<string>;
  readonly types: ReadonlyMap<string, DcrColumnType>;
}

/**
 * Checks records against the configured stream declarations. A stream with no declaration is not
 * checked (the sink cannot know its columns; `xdr-relay schema` prints what to configure). Under
 * `warn`, each stream and set of undeclared columns is logged once per process, not once per row.
 */
export class SchemaGuard {
  private readonly declared: ReadonlyMap<string, StreamColumns>;
  private readonly warned = new Set<string>();

  constructor(
    streams: Readonly<Record<string, DeclaredStream>>,
    private readonly policy: SchemaDriftPolicy,
  ) {
    this.declared = new Map(Object.entries(streams).map(([name, s]) => [name, streamColumns(s)]));
  }

  check(stream: string, record: Readonly<Record<string, unknown>>): SchemaCheck {
    const declared = this.declared.get(stream);
    if (declared === undefined) return { kind: "declared" };
    const undeclared = undeclaredColumns(record, declared.names);
    const mistyped = mistypedValues(record, declared.types);
    if (undeclared.length === 0 && mistyped.length === 0) return { kind: "declared" };
    const columns = [...undeclared, ...mistyped.map((m) => m.column)].sort();
    return { kind: "drift", columns, action: this.policy, fix: driftFix(stream, undeclared, mistyped) };
  }

  /** Counts a drifted row; under `warn`, logs the first row of each stream and column set. */
  report(
    stream: string,
    drift: { readonly columns: readonly string[]; readonly fix: string },
    logger: Logger,
    metrics: Metrics,
  ): void {
    metrics.increment("rowsSchemaDrifted");
    if (this.policy !== "warn") return;
    const { columns, fix } = drift;
    const key = `${stream}\u0000${columns.join("\u0000")}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    logger.warn("rowsSchemaDrifted", { stream, columns, fix });
  }
}

function streamColumns(stream: DeclaredStream): StreamColumns {
  const types = new Map<string, DcrColumnType>();
  for (const c of stream.columns) if (c.type !== undefined) types.set(c.name, c.type);
  return { names: new Set(stream.columns.map((c) => c.name)), types };
}

/** Operator words: which values would be lost and why, where to fix it, and how to get the parked rows back. */
function driftFix(stream: string, undeclared: readonly string[], mistyped: readonly TypeMismatch[]): string {
  const table = `${stream.replace(/^Custom-/, "")}_CL`;
  const lost: string[] = [];
  if (undeclared.length > 0) {
    lost.push(`columns ${undeclared.join(", ")} are not declared by stream ${stream}, so Log Analytics would drop them`);
  }
  for (const m of mistyped) {
    lost.push(`column ${m.column} is declared ${m.declared} but holds ${m.value}, which Log Analytics would store as null`);
  }
  const where = `the DCR's streamDeclarations["${stream}"], the table its data flow writes to (${table} by convention) and ingestion.streams["${stream}"]`;
  const change =
    undeclared.length > 0 ? `add or retype them in ${where}` : `retype them in ${where} (dynamic or string keep any value)`;
  return `${lost.join("; ")}: ${change} (xdr-relay schema <query> prints all three), then run xdr-relay dlq replay --queue rows`;
}
