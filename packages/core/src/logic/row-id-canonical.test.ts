import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RowIdentities, rowIdOf, rowIdsOf } from "./row-id.ts";
import { CanonicalRows, canonicalJson } from "./row-id-canonical.ts";

/*
 * Row ids are in every table already ingested: the faster implementation must give the first
 * release's ids byte for byte. The reference below is that release's code, kept verbatim as the
 * oracle; random results (seeded, so a failure replays) are held to it.
 */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(",")}}`;
}

function referenceRowIdsOf(tenant: string, query: string, rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const canonical = referenceCanonicalJson(row);
    const occurrence = seen.get(canonical) ?? 0;
    seen.set(canonical, occurrence + 1);
    const suffix = occurrence === 0 ? "" : `\n#${occurrence}`;
    return createHash("sha256").update(`${tenant}\n${query}\n${canonical}${suffix}`).digest("hex").slice(0, 32);
  });
}

/** mulberry32: small, seeded, good enough to vary test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keys that trip naive code: integer-like keys V8 enumerates first, `__proto__`, escapes, unicode. */
const keyPool = ["Timestamp", "AlertId", "a", "B", "b", "10", "9", "0", "__proto__", 'q"uote', "é", "Z", "😀", "", "\u0000"];
const stringPool = ["", "x", 'a"b\\c', "line\nbreak", "ünïcödé", "😀 emoji", "\ud800 lone", "\u2028", "</script>", "da1"];
const numberPool = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 2 ** 53, -123456789, Math.PI, 0.1 + 0.2, Number.MAX_VALUE];

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const value = (depth: number): unknown => {
    const r = next();
    if (r < 0.3) return pick(stringPool);
    if (r < 0.5) return pick(numberPool);
    if (r < 0.6) return null;
    if (r < 0.65) return next() < 0.5;
    if (depth > 2) return pick(stringPool);
    if (r < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return object(depth + 1);
  };
  const object = (depth: number): Record<string, unknown> => {
    // Through JSON.parse, as rows arrive: `__proto__` is then an own key like any other.
    const members = Array.from({ length: Math.floor(next() * 5) }, () => [pick(keyPool), value(depth)] as const);
    return JSON.parse(`{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
  };
  /** One result: a few column lists, rows mostly sharing one, in shuffled key orders, with repeats. */
  const result = (): Record<string, unknown>[] => {
    const shapes = Array.from({ length: 1 + Math.floor(next() * 3) }, () => Object.keys(object(0)));
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      if (rows.length > 0 && next() < 0.2) {
        rows.push(reordered(pick(rows), next)); // an identical row, numbered #k
        continue;
      }
      const shape = next() < 0.8 ? (shapes[0] as string[]) : pick(shapes);
      rows.push(Object.fromEntries(shape.map((k) => [k, value(0)])));
    }
    return rows;
  };
  return { value, object, result };
}

function reordered(row: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const entries = Object.entries(row).sort(() => next() - 0.5);
  return JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
}

describe("canonical JSON and row ids against the first release's definition", () => {
  it.each(Array.from({ length: 50 }, (_, i) => i + 1))("seed %i: same canonical JSON for any value", (seed) => {
    const gen = generator(seed);
    for (let i = 0; i < 50; i++) {
      const v = gen.value(0);
      expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
    }
  });

  it.each(Array.from({ length: 50 }, (_, i) => i + 1))("seed %i: same ids for a whole result", (seed) => {
    const rows = generator(seed).result();
    const expected = referenceRowIdsOf("contoso", "alert-evidence", rows);
    expect(rowIdsOf("contoso", "alert-evidence", rows)).toEqual(expected);
    // Fed in chunks, as the fetcher does: numbering carries over from chunk to chunk.
    const identities = new RowIdentities("contoso", "alert-evidence");
    expect(rows.map((row) => identities.next(row).rowId)).toEqual(expected);
  });

  it.each(Array.from({ length: 30 }, (_, i) => i + 1))("seed %i: same ids for a result of plain values", (seed) => {
    // Rows with no object or array in them take `CanonicalRows`' native path: held to the same oracle,
    // over the whole key pool (integer-like keys and `__proto__` must divert them) and a pool of names only.
    const gen = generator(seed);
    const plain = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "object" && v !== null ? "text" : v]));
    const rows = gen.result().map((row) => JSON.parse(JSON.stringify(plain(row))) as Record<string, unknown>);
    const names = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([k]) => !/^\d+$/.test(k) && k !== "__proto__")),
    );
    for (const result of [rows, names]) {
      expect(rowIdsOf("contoso", "alert-evidence", result)).toEqual(referenceRowIdsOf("contoso", "alert-evidence", result));
    }
  });

  it("numbers identical rows #1, #2 whatever their key order", () => {
    const rows = [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { a: 1, b: 3 },
      { b: 2, a: 1 },
    ];
    const ids = rowIdsOf("t", "q", rows);
    expect(ids).toEqual(referenceRowIdsOf("t", "q", rows));
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBe(rowIdOf("t", "q", { a: 1, b: 2 }));
  });

  it("keeps integer-like keys in code-unit order, not V8's numeric order", () => {
    const row = JSON.parse('{"9":1,"10":2,"a":3,"__proto__":4}');
    expect(new CanonicalRows().json(row)).toBe('{"10":2,"9":1,"__proto__":4,"a":3}');
    expect(new CanonicalRows().json(JSON.parse('{"b":1,"10":2}'))).toBe('{"10":2,"b":1}');
    expect(new CanonicalRows().json(JSON.parse('{"b":1,"__proto__":2}'))).toBe('{"__proto__":2,"b":1}');
  });

  it("reports the canonical length, which equals the row's JSON length", () => {
    const row = { b: "ü", a: [1, { d: null, c: true }] };
    const { canonicalLength } = new RowIdentities("t", "q").next(row);
    expect(canonicalLength).toBe(JSON.stringify(row).length);
  });
});
