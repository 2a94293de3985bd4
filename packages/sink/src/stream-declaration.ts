import type { DcrColumnType, HuntingColumn } from "@xdr-relay/core";
import { columnName } from "./column-names.ts";
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
  for (const c of schema) columns.push({ name: columnName(c.name), type: dcrType(c.type) });
  return columns;
}
