export { fmt } from "../demo/progress.ts";

const units = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
] as const;

/** `3d 4h`, `7h 18m`, `12m 5s`, `40s`: the two largest units, enough for an estimate. */
export function duration(ms: number): string {
  if (!(ms >= 1_000)) return "<1s";
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p, i) => i === 0 || !p.startsWith("0")).join(" ");
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
