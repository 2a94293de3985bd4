import { mitreTactics } from "@xdr-relay/core";
import { fmt } from "./progress.ts";

export interface DemoTotals {
  readonly windows: number;
  readonly windowsSplit: number;
  readonly served: number;
  readonly ingested: number;
  readonly distinctIngested: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly retries: number;
  readonly lateFound: number;
  readonly wallMs: number;
  readonly tactics: ReadonlyMap<string, number>;
}

/** Alerts per MITRE ATT&CK tactic as a small table; Defender's own categories summed as "other". */
export function tacticTable(tactics: ReadonlyMap<string, number>): string[] {
  const rows = mitreTactics.map((t) => [t, tactics.get(t) ?? 0] as const);
  const other = [...tactics].filter(([k]) => !(mitreTactics as readonly string[]).includes(k)).reduce((n, [, v]) => n + v, 0);
  const all = [...rows, ["(other Defender categories)", other] as const];
  const width = Math.max(...all.map(([k]) => k.length));
  return ["  alerts per MITRE ATT&CK tactic:", ...all.map(([k, v]) => `    ${k.padEnd(width)}  ${fmt(v).padStart(8)}`)];
}

/** The closing report; its last line is machine-readable and stable. */
export function summaryLines(t: DemoTotals): string[] {
  const seconds = t.wallMs / 1000;
  return [
    "",
    "summary",
    `  windows fetched         ${fmt(t.windows)} (${fmt(t.windowsSplit)} split after a possibly truncated result)`,
    `  rows served by Defender ${fmt(t.served)} (distinct; ${fmt(t.lateFound)} of them found late by the re-sweep)`,
    `  rows ingested           ${fmt(t.ingested)} (${fmt(t.distinctIngested)} distinct RowIds)`,
    `  duplicates dropped      ${fmt(t.duplicates)} (re-sent rows dropped by the queue's duplicate detection)`,
    `  retries                 ${fmt(t.retries)} (throttling and injected faults, all recovered)`,
    `  dead-lettered           ${fmt(t.deadLettered)}`,
    `  wall time               ${seconds.toFixed(1)} s, ${fmt(Math.round(t.ingested / Math.max(seconds, 0.001)))} rows/s`,
    ...tacticTable(t.tactics),
    "",
    `served=${t.served} ingested=${t.ingested} duplicates=${t.duplicates} deadLettered=${t.deadLettered}`,
  ];
}
