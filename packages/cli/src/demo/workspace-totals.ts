import type { WorkspaceReader } from "@xdr-relay/emulators";

export interface WorkspaceTotals {
  readonly rows: number;
  readonly distinctRowIds: number;
  /** Alerts per `Category` in the AlertInfo table. */
  readonly tactics: Map<string, number>;
}

/** Reads back what landed in the emulated workspace, as a user's KQL would count it. */
export async function countWorkspace(workspace: WorkspaceReader): Promise<WorkspaceTotals> {
  const rowIds = new Set<string>();
  const tactics = new Map<string, number>();
  let rows = 0;
  for (const table of await workspace.tables()) {
    for await (const row of workspace.read(table)) {
      rows++;
      rowIds.add(String(row["RowId"]));
      if (table === "XdrAlertInfo_CL") {
        const category = String(row["Category"]);
        tactics.set(category, (tactics.get(category) ?? 0) + 1);
      }
    }
  }
  return { rows, distinctRowIds: rowIds.size, tactics };
}
