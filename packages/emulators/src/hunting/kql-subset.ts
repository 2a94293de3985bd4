import { parseWindowFilter, type TimeRange } from "@xdr-relay/core";
import { splitOutside, stringLiteral } from "./kql-split.ts";
import { intersect } from "./ranges.ts";
import { type HuntingTableName, huntingTable, type TableColumn, tableColumns } from "./tables.ts";

/**
 * The KQL the emulator answers: what the relay sends and little more.
 *
 *     <Table>
 *     | project a, b, ...                                           (optional)
 *     | where Category in ("A", "B") and Severity == "High"          (string columns, optional)
 *     | where Timestamp >= datetime(X) and Timestamp < datetime(Y)   (the window filter)
 *
 * Anything else is refused with a 400, as the real service refuses what it cannot parse: a test
 * must never pass because the emulator silently ignored part of a query.
 */
export interface QueryPlan {
  readonly table: HuntingTableName;
  /** Output columns in output order. */
  readonly columns: readonly TableColumn[];
  /** The intersection of the query's window filters; undefined when it has none. */
  readonly window: TimeRange | undefined;
  /** Every filter must accept a row: its column's value is one of `values`. */
  readonly filters: readonly ColumnFilter[];
}

export interface ColumnFilter {
  readonly column: string;
  readonly values: ReadonlySet<string>;
}

/** A query the emulator cannot run; its message follows the service's wording where we know it. */
export class KqlError extends Error {
  override readonly name = "KqlError";
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TIMESTAMP_BOUND = /^Timestamp\s*(>=|<)\s*datetime\([^()]*\)$/;

export function parseHuntingQuery(kql: string): QueryPlan {
  const [source = "", ...operators] = splitOutside(kql, "|");
  if (!IDENT.test(source)) throw new KqlError(`Query could not be parsed at '${source.slice(0, 40)}'`);
  const table = huntingTable(source);
  if (!table) throw new KqlError(`Failed to resolve table or column expression named '${source}'`);
  let plan: QueryPlan = { table, columns: tableColumns[table], window: undefined, filters: [] };
  for (const operator of operators) plan = applyOperator(plan, operator);
  return plan;
}

function applyOperator(plan: QueryPlan, operator: string): QueryPlan {
  const m = /^(\w+)\s+([\s\S]+)$/.exec(operator);
  if (m?.[1] === "project") return { ...plan, columns: project(plan, m[2] as string) };
  if (m?.[1] === "where") return where(plan, splitOutside(m[2] as string, "and"));
  const name = m?.[1] ?? operator;
  throw new KqlError(`Query could not be parsed at '${name}': the emulator supports only 'project' and 'where'`);
}

function project(plan: QueryPlan, list: string): TableColumn[] {
  const names = splitOutside(list, ",");
  if (new Set(names).size !== names.length) throw new KqlError(`project: a column is named twice in '${list}'`);
  return names.map((name) => column(plan, name));
}

function column(plan: QueryPlan, name: string): TableColumn {
  const found = plan.columns.find((c) => c.name === name);
  if (!found) throw new KqlError(`Failed to resolve scalar expression named '${name}'`);
  return found;
}

function where(plan: QueryPlan, predicates: string[]): QueryPlan {
  let { window, filters } = plan;
  for (let i = 0; i < predicates.length; i++) {
    const predicate = predicates[i] as string;
    if (predicate.startsWith("Timestamp")) {
      column(plan, "Timestamp");
      // The window filter is two predicates; core's parser is the one definition of its shape.
      const pair = `${predicate} and ${predicates[++i] ?? ""}`;
      const range =
        TIMESTAMP_BOUND.test(predicate) && TIMESTAMP_BOUND.test(predicates[i] ?? "") ? parseWindowFilter(pair) : undefined;
      if (!range)
        throw new KqlError(`Unsupported time filter '${pair}': use Timestamp >= datetime(X) and Timestamp < datetime(Y)`);
      window = window ? intersect(window, range) : range;
    } else {
      filters = [...filters, valueFilter(plan, predicate)];
    }
  }
  return { ...plan, window, filters };
}

/** `Column in ("a", "b")` or `Column == "a"` on a string column. */
function valueFilter(plan: QueryPlan, predicate: string): ColumnFilter {
  const m = /^(\w+)\s*(==|in)\s*([\s\S]+)$/.exec(predicate);
  if (!m) throw new KqlError(`Unsupported predicate '${predicate}'`);
  const [, name = "", op, operand = ""] = m;
  if (column(plan, name).type !== "String") throw new KqlError(`'${op}' needs a string column; '${name}' is not one`);
  const list = op === "in" ? /^\(([\s\S]*)\)$/.exec(operand)?.[1] : operand;
  const values = list === undefined ? [undefined] : splitOutside(list, ",").map(stringLiteral);
  if (values.some((v) => v === undefined)) throw new KqlError(`Expected string literals in '${predicate}'`);
  return { column: name, values: new Set(values as string[]) };
}
