import { ConfigError } from "@xdr-relay/core";

/** The column types a DCR stream declaration accepts. */
export const dcrColumnTypes = ["string", "int", "long", "real", "boolean", "datetime", "dynamic"] as const;
export type DcrColumnType = (typeof dcrColumnTypes)[number];

export interface DcrColumn {
  readonly name: string;
  readonly type: DcrColumnType;
}

/**
 * One entry of a DCR's `streamDeclarations`, with the table its data flow writes to. The emulator
 * models the pass-through transform (`transformKql: "source"`): the table has the stream's columns.
 */
export interface DcrStreamDeclaration {
  readonly columns: readonly DcrColumn[];
  /** The Log Analytics table the data flow's `outputStream` (`Custom-<Table>_CL`) names. */
  readonly outputTable: string;
}

/** A data collection rule as the emulator serves it, keyed by its immutable id (`dcr-<32 hex>`). */
export interface DataCollectionRule {
  readonly immutableId: string;
  readonly streams: Readonly<Record<string, DcrStreamDeclaration>>;
}

// Names Log Analytics reserves for itself: a table cannot declare them (Defender's `Title` must be
// renamed before it can land).
const reservedColumns = new Set(["_ResourceId", "id", "_SubscriptionId", "TenantId", "Type", "UniqueId", "Title"]);
const columnName = /^[A-Za-z][A-Za-z0-9_]{0,44}$/;
const customTable = /^[A-Za-z][A-Za-z0-9_]*_CL$/;
const maxColumns = 500;

/**
 * Rejects rules Azure itself would refuse to deploy, so a test cannot pass against a DCR that could
 * never exist. Throws `ConfigError` naming the fix.
 */
export function validateRules(rules: readonly DataCollectionRule[]): void {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.immutableId))
      throw new ConfigError(`rule ${rule.immutableId} is declared twice: give each rule its own immutableId`);
    ids.add(rule.immutableId);
    for (const [name, stream] of Object.entries(rule.streams)) validateStream(`${rule.immutableId}/${name}`, name, stream);
  }
}

function validateStream(where: string, name: string, stream: DcrStreamDeclaration): void {
  if (!name.startsWith("Custom-")) throw new ConfigError(`${where}: a custom stream's name starts with "Custom-"`);
  if (!customTable.test(stream.outputTable)) {
    throw new ConfigError(`${where}: outputTable "${stream.outputTable}" must be a custom table name ending in _CL`);
  }
  if (stream.columns.length > maxColumns) throw new ConfigError(`${where}: at most ${maxColumns} columns per table`);
  const seen = new Set<string>();
  for (const { name: column, type } of stream.columns) {
    if (!columnName.test(column)) {
      throw new ConfigError(`${where}: column "${column}" must start with a letter, use letters, digits or _ and be ≤ 45 chars`);
    }
    if (reservedColumns.has(column))
      throw new ConfigError(`${where}: column "${column}" is reserved by Log Analytics: rename it`);
    if (seen.has(column.toLowerCase())) throw new ConfigError(`${where}: column "${column}" is declared twice`);
    if (!dcrColumnTypes.includes(type)) throw new ConfigError(`${where}: column "${column}" has unknown type "${type}"`);
    seen.add(column.toLowerCase());
  }
}
