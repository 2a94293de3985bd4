import type { DcrColumnType, HuntingColumn } from "@xdr-relay/core";
import { columnNames } from "./column-names.ts";
import { addedColumns } from "./record.ts";

export type { DcrColumnType };

export interface DcrColumn {
  readonly name: string;
  readonly type: DcrColumnType;
}

const huntingToDcr: Readonly<Record<string, DcrColumnType>> = {
  datetime: "datetime",
  string: "string",
  int32: "int",
  int: "int",
  int64: "long",
  long: "long",
  double: "real",
  real: "real",
  boolean: "boolean",
  bool: "boolean",
};

/** The DCR type for a hunting column type; anything unknown is kept as `dynamic` (JSON). */
export function dcrType(huntingType: string): DcrColumnType {
  return huntingToDcr[huntingType.toLowerCase()] ?? "dynamic";
}

/** The stream declaration's columns for a query's hunting schema, added columns first. */
export function streamColumns(schema: readonly HuntingColumn[]): DcrColumn[] {
  const columns: DcrColumn[] = addedColumns.map((c) => ({ name: c.name, type: c.type }));
  const names = columnNames(schema.map((c) => c.name));
  for (const [i, c] of schema.entries()) columns.push({ name: names[i] as string, type: dcrType(c.type) });
  return columns;
}
