import { knownHuntingTables } from "@xdr-relay/core";

/**
 * The two Defender advanced-hunting tables the emulator serves, with the column names and order of
 * Microsoft's schema reference and the types `runHuntingQuery` reports for them in `schema`.
 */

export type HuntingTableName = "AlertInfo" | "AlertEvidence";

/** A column type as it appears in a result's `schema`. */
export type HuntingColumnType = "DateTime" | "String" | "Int64" | "Int32";

export interface TableColumn {
  readonly name: string;
  readonly type: HuntingColumnType;
}

/** A result row: column name to value. Dates are ISO strings; absent numbers are null. */
export type SyntheticRow = Record<string, string | number | null>;

/** The schema comes from core's list, so the emulator serves exactly what `xdr-relay schema` assumes. */
export const tableColumns: Readonly<Record<HuntingTableName, readonly TableColumn[]>> = {
  AlertInfo: knownHuntingTables["AlertInfo"] as readonly TableColumn[],
  AlertEvidence: knownHuntingTables["AlertEvidence"] as readonly TableColumn[],
};

export const huntingTables = Object.keys(tableColumns) as HuntingTableName[];

/** The table named `name` (KQL table names are case-sensitive), or undefined. */
export function huntingTable(name: string): HuntingTableName | undefined {
  return (huntingTables as string[]).includes(name) ? (name as HuntingTableName) : undefined;
}
