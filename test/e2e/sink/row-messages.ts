import { type RowMessage, rowIdOf } from "@xdr-relay/core";
import type { DcrStreamDeclaration } from "@xdr-relay/emulators";
import { addedColumns } from "@xdr-relay/sink";

/** The stream and table every sink e2e test writes to. */
export const stream = "Custom-XdrAlertInfo";
export const table = "XdrAlertInfo_CL";
export const dcrId = "dcr-0123456789abcdef0123456789abcdef";

/** The columns `alertRow` yields after `toRecord`: what the DCR and `ingestion.streams` declare. */
export const declaredColumns = [
  ...addedColumns.map((c) => ({ name: c.name, type: c.type })),
  { name: "Timestamp", type: "datetime" as const },
  { name: "AlertId", type: "string" as const },
  { name: "Severity", type: "string" as const },
];

export const declaration: DcrStreamDeclaration = { columns: declaredColumns, outputTable: table };

/** An AlertInfo-like row message; `extra` adds columns (schema drift) or marks a poisoned row. */
export function alertRow(i: number, extra: Record<string, unknown> = {}): RowMessage {
  const row = {
    Timestamp: new Date(Date.now() - 60_000 + i).toISOString(),
    AlertId: `da${String(i).padStart(6, "0")}`,
    Severity: "High",
    ...extra,
  };
  return {
    version: 1,
    tenant: "contoso",
    query: "alert-info",
    stream,
    window: "contoso|alert-info|w",
    rowId: rowIdOf("contoso", "alert-info", row),
    attempt: 0,
    row,
  };
}
