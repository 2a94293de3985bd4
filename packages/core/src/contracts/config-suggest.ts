import type { z } from "zod";

/**
 * The setting an unknown key was probably meant to be, among the keys the schema allows where it
 * stands: `callsPerMinue` → `callsPerMinute`. Undefined when none is close (edits up to a third of
 * the shorter name) or the place holds no fixed keys (a record, a union of shapes).
 */
export function suggestKey(schema: z.ZodType, path: readonly PropertyKey[], unknown: string): string | undefined {
  return closestName(unknown, keysAt(schema, path));
}

/** The name among `known` that `unknown` is a slip of (any case; edits up to a third of the shorter name), if any. */
export function closestName(unknown: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
    // A third of the shorter name: short names are only ever a letter off (`xy` is no `id`).
    const close = Math.max(1, Math.floor(Math.min(unknown.length, key.length) / 3));
    if (distance <= close && (best === undefined || distance < best.distance)) {
      best = { key, distance };
    }
  }
  return best?.key;
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Past defaults, optionals and refinements' pipes, to the schema that has the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    const next = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (next === undefined) return s;
    s = next;
  }
}

function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const step of path) {
    const def: Def = defOf(s);
    s = def.shape?.[String(step)] ?? (def.type === "array" ? def.element : def.type === "record" ? def.valueType : undefined);
    if (s === undefined) return [];
    s = unwrap(s);
  }
  return Object.keys(defOf(s).shape ?? {});
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (`jsno` → `json`), as well
 * as single-character insertions, deletions and substitutions (optimal string alignment).
 */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const above = rows[i - 1] as number[];
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
