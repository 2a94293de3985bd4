import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** One line of the printed table: a figure, its unit, and (for a ratio) its target. */
export interface Line {
  readonly bench: string;
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: { readonly op: "≥" | "≤" | "<"; readonly value: number };
}

export function printTable(lines: readonly Line[]): void {
  const rows = lines.map((l) => [l.bench, l.figure, format(l.value), l.unit, targetText(l), verdict(l)]);
  const head = ["bench", "figure", "median", "unit", "target", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const show = (r: readonly string[]) =>
    r.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ");
  console.log(show(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(show(r));
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function format(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return v.toPrecision(3);
}

function targetText(l: Line): string {
  return l.target ? `${l.target.op} ${l.target.value}` : "";
}

function verdict(l: Line): string {
  if (!l.target) return "";
  const { op, value } = l.target;
  const ok = op === "≥" ? l.value >= value : op === "≤" ? l.value <= value : l.value < value;
  return ok ? "ok" : "MISS";
}
