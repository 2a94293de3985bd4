/**
 * Splits KQL text on a separator that stands outside string literals and parentheses, so that a
 * `|` or `,` inside `"a|b"` or `datetime(...)` does not cut the text. `separator` is a single
 * character, or a word (`and`) that must stand alone.
 */
export function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote = "";
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && startsAt(text, i, separator)) {
      parts.push(text.slice(from, i).trim());
      from = i + separator.length;
      i = from - 1;
    }
  }
  parts.push(text.slice(from).trim());
  return parts;
}

function startsAt(text: string, i: number, separator: string): boolean {
  if (!text.startsWith(separator, i)) return false;
  if (separator.length === 1) return true;
  const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);
  return !isWord(text[i - 1]) && !isWord(text[i + separator.length]);
}

/** The value of a KQL string literal (`"..."` or `'...'`), or undefined when `text` is not one. */
export function stringLiteral(text: string): string | undefined {
  const m = /^(["'])((?:\\.|(?!\1)[^\\])*)\1$/s.exec(text.trim());
  if (!m) return undefined;
  return (m[2] as string).replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}
