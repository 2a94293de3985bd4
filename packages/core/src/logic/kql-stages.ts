import { type KqlPosition, maskLiterals, positionAt } from "./kql-time-filter.ts";

/** The KQL cut at each `|` that is not inside a string literal. */
export function pipeStages(kql: string): string[] {
  const stages: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const ch of kql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "|") {
      stages.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  stages.push(current);
  return stages;
}

/**
 * Where a query plainly drops the `Timestamp` column, if it does: a `project` (or `project-keep`)
 * that does not name it, a `project-away` or `summarize` that drops it, and no later stage that
 * brings it back. The relay filters every window on `Timestamp` after the query and maps it to
 * `TimeGenerated`: without it, every window of the query fails (BadQuery) at the service.
 * Only plain cases are judged; a stage it cannot read is taken to keep the column, so a query is
 * never refused for a guess.
 */
export function droppedTimestampAt(kql: string): KqlPosition | undefined {
  let dropped: number | undefined;
  let offset = 0;
  // Comments and string contents blanked (same offsets): a `| project x` in a comment is no stage.
  for (const stage of pipeStages(maskLiterals(kql))) {
    const [, operator = "", rest = ""] = /^\s*(\S+)\s*([\s\S]*)$/.exec(stage) ?? [];
    const names = rest.split(",").map((item) => outputName(item));
    if (operator === "project" || operator === "project-keep") {
      if (names.every((n) => n !== undefined && n !== "Timestamp")) dropped = offset;
      else if (names.includes("Timestamp")) dropped = undefined;
    } else if (operator === "project-away") {
      if (names.includes("Timestamp")) dropped = offset;
    } else if (operator === "summarize") {
      if (!/\bTimestamp\b/.test(rest)) dropped = offset;
      else dropped = undefined;
    } else if (operator === "extend" && names.includes("Timestamp")) {
      dropped = undefined;
    }
    offset += stage.length + 1;
  }
  if (dropped === undefined) return undefined;
  // Past the `|` and blanks, at the operator.
  const at = dropped + (/^\s*/.exec(kql.slice(dropped))?.[0].length ?? 0);
  return positionAt(kql, at);
}

/** The column an item of a column list produces (`Name` or `Name = expr`); undefined for an expression it cannot name. */
function outputName(item: string): string | undefined {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|$)/.exec(item);
  return m?.[1];
}
