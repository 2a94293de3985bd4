/**
 * Seeded randomness for the synthetic tenant. Two kinds, both deterministic for a seed:
 * - `sequence(seed)`: a stream, used once when the alert timeline is built;
 * - `unitAt(key, index, salt)`: random access, so a row's fields are a pure function of its index and
 *   no row ever has to be stored (100k rows cost two typed arrays, not 100k objects).
 */

/** MurmurHash3's finaliser: a cheap 32-bit mix with full avalanche. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit hash of (key, index, salt); `salt` names the field so fields of one row are independent. */
export function hashAt(key: number, index: number, salt: number): number {
  return mix32(Math.imul(index, 0x9e3779b1) ^ mix32(key + Math.imul(salt, 0x7feb352d)));
}

/** A float in [0, 1) for (key, index, salt). */
export function unitAt(key: number, index: number, salt: number): number {
  return hashAt(key, index, salt) / 0x1_0000_0000;
}

/** One of `items`, picked by (key, index, salt). */
export function pickAt<T>(items: readonly T[], key: number, index: number, salt: number): T {
  return items[Math.floor(unitAt(key, index, salt) * items.length)] as T;
}

/** Mulberry32: a small, fast sequential generator of floats in [0, 1). */
export function sequence(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Lowercase hex of `words` 32-bit hashes: fake SHA1 (5 words), SHA256 (8), device ids (5). */
export function hexAt(key: number, index: number, salt: number, words: number): string {
  let out = "";
  for (let w = 0; w < words; w++)
    out += hashAt(key, index, salt * 16 + w)
      .toString(16)
      .padStart(8, "0");
  return out;
}

/** A GUID-shaped string for (key, index, salt). */
export function guidAt(key: number, index: number, salt: number): string {
  const h = hexAt(key, index, salt, 4);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
