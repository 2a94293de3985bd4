import { type HuntingColumn, knownHuntingTables, pipeStages } from "@xdr-relay/core";

export type OfflineSchema =
  | { readonly kind: "known"; readonly table: string; readonly columns: readonly HuntingColumn[] }
  | { readonly kind: "unknown"; readonly why: string };

/**
 * A query's result columns worked out without the hunting API, for the shape the built-in queries
 * have: a known table, then `where` stages (which keep the columns) and `project` stages of plain
 * column names. Anything richer (extend, summarize, join, renaming project) changes the columns in
 * ways only the service can tell, so it is left to a live probe rather than guessed.
 */
export function offlineSchema(kql: string): OfflineSchema {
  const [source = "", ...stages] = pipeStages(kql);
  const table = source.trim();
  let columns = knownHuntingTables[table];
  if (columns === undefined)
    return { kind: "unknown", why: `"${table}" is not one of ${Object.keys(knownHuntingTables).join(", ")}` };
  for (const stage of stages) {
    const [, operator = "", rest = ""] = /^\s*(\S+)\s*([\s\S]*)$/.exec(stage) ?? [];
    if (operator === "where") continue;
    if (operator !== "project") return { kind: "unknown", why: `the "${operator}" operator may change the columns` };
    const names = rest.split(",").map((n) => n.trim());
    const next: HuntingColumn[] = [];
    for (const name of names) {
      const column = columns.find((c) => c.name === name);
      if (column === undefined) return { kind: "unknown", why: `"${name}" is not a known column of ${table}` };
      next.push(column);
    }
    columns = next;
  }
  return { kind: "known", table, columns };
}
