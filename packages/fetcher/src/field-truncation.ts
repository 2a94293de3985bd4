import type { HuntingRow } from "@xdr-relay/core";

/** Log Analytics keeps at most 64 KB of a field value and cuts the rest without an error. */
export const maxFieldBytes = 64 * 1024;

/**
 * The column that flags a row whose values were cut: a JSON array of the (hunting) column names,
 * present only on such rows. It lands in the table, so `where isnotempty(XdrTruncatedColumns)`
 * finds them; a DCR stream that is declared column by column must declare it (`dynamic`).
 */
export const truncatedColumnsColumn = "XdrTruncatedColumns";

/**
 * The first `maxBytes` of a string's UTF-8, never splitting a character. Whether the service counts
 * bytes or characters is *unconfirmed*; bytes is the stricter reading, so what we keep always fits.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most values are decided without encoding them.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

/**
 * Cuts every field over 64 KB the way Log Analytics would, so what we send is what the table will
 * hold, and flags the row with the names of the cut columns. A `dynamic` value (object or array)
 * over the limit becomes the first 64 KB of its JSON text: cut JSON no longer parses, and keeping
 * it as text is the least surprising of the lossy choices (how the service cuts dynamic values is
 * *unconfirmed*). Returns the same row object when nothing was cut.
 */
export function truncateFields(row: HuntingRow, maxBytes = maxFieldBytes): HuntingRow {
  let out: HuntingRow | undefined;
  const cut: string[] = [];
  for (const [name, value] of Object.entries(row)) {
    const text =
      typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : undefined;
    if (text === undefined) continue;
    const kept = truncateUtf8(text, maxBytes);
    if (kept === text) continue;
    out ??= { ...row };
    out[name] = kept;
    cut.push(name);
  }
  if (!out) return row;
  out[truncatedColumnsColumn] = cut;
  return out;
}
