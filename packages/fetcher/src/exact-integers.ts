const quote = 0x22;
const backslash = 0x5c;
const minus = 0x2d;
const zero = 0x30;
const nine = 0x39;

/**
 * A value of 16 digits or more: shorter integers are all safe (2^53 has 16 digits). Hex ids and
 * hashes hold such runs in nearly every megabyte of a result, but inside strings, after a letter or
 * a quote; a bare value follows `:`, `,` or `[`. Text without one needs no scan (the scan costs a few
 * ms a megabyte; this test, well under one). A string that happens to match only costs the scan.
 */
const mayBeUnsafe = /[:,[]\s*-?\d{16}/;

/**
 * JSON text with every integer that a JavaScript number cannot hold exactly (beyond ±(2^53 − 1))
 * turned into a string of the same digits, so `JSON.parse` keeps it to the last digit.
 *
 * Why: Defender's `Int64` columns (`ReportId`, `FileSize`, a `hash()` in a custom query) come as
 * bare JSON numbers, and `JSON.parse` rounds those past 2^53 without a word: the row would land
 * with another value, and two rows differing only there would share their canonical JSON, hence
 * their id (the second dropped as a duplicate of the first). As a string of digits the value
 * survives the queue and the upload; a `long` column takes it (`fitsDcrType`). Whether the
 * service converts such a string for a `long` column as the emulator does is *unconfirmed*.
 * Node 20's `JSON.parse` gives a reviver no source text, hence this pass over the text.
 *
 * Numbers with a fraction or an exponent are left alone: they are doubles at the source too.
 */
export function exactIntegers(text: string): string {
  if (!mayBeUnsafe.test(text)) return text;
  let out = "";
  let from = 0; // text before this index is already in `out` or still to copy
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      i = closingQuote(text, i);
      continue;
    }
    if (c !== minus && (c < zero || c > nine)) continue;
    const end = numberEnd(text, i);
    const token = text.slice(i, end);
    if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(from, i)}"${token}"`;
      from = end;
    }
    i = end - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The index of the quote closing the string opened at `open` (the text's end if none). */
function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === backslash) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

/** Where the number token starting at `start` ends: JSON numbers are digits, sign, dot and exponent. */
function numberEnd(text: string, start: number): number {
  let i = start + 1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const numeric = (c >= zero && c <= nine) || c === minus || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65;
    if (!numeric) break;
  }
  return i;
}
