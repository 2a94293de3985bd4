/** A place in a query's text, both 1-based, as an editor shows it. */
export interface KqlPosition {
  readonly line: number;
  readonly column: number;
}

export function positionAt(text: string, offset: number): KqlPosition {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** A time filter a configured query sets itself, and where. */
export interface OwnTimeFilter extends KqlPosition {
  /** What was found, e.g. `ago(` or `Timestamp >`. */
  readonly found: string;
}

// Relative-time functions, and comparisons on the column the relay's window filter owns.
const timeFilter = /\b(?:ago|now|(?:startof|endof)(?:day|week|month|year))\s*\(|\bTimestamp\s*(?:[<>]=?|==|!?between\b|!?in\b)/;

/**
 * Finds a time filter in a query (outside string literals and comments). Windows own time: the
 * relay appends `| where Timestamp >= datetime(start) and Timestamp < datetime(end)` to every
 * query, and a filter of the query's own would silently empty the windows it does not cover —
 * every backfill, re-sweep and replay, which query the past.
 */
export function findOwnTimeFilter(kql: string): OwnTimeFilter | undefined {
  const m = timeFilter.exec(maskLiterals(kql));
  if (!m) return undefined;
  return { found: kql.slice(m.index, m.index + m[0].length).replace(/\s+/g, " "), ...positionAt(kql, m.index) };
}

/** The operator's explanation for a query refused by `findOwnTimeFilter`. */
export function ownTimeFilterMessage(f: OwnTimeFilter): string {
  return (
    `line ${f.line}, column ${f.column}: the query sets its own time filter ("${f.found}"); remove it. ` +
    "The relay adds `| where Timestamp >= datetime(start) and Timestamp < datetime(end)` for each window, " +
    "and a filter of your own would silently empty backfills, re-sweeps and replays"
  );
}

/**
 * The query with the contents of string literals (`"…"`, `'…'`, verbatim `@"…"`, multi-line
 * ```…```) and `//` comments blanked, same length, so matches keep their offsets and a title such
 * as "ago(" inside quotes is not taken for code.
 */
export function maskLiterals(kql: string): string {
  return kql.replace(
    /```[\s\S]*?(?:```|$)|@"(?:[^"]|"")*"?|@'(?:[^']|'')*'?|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|\/\/[^\n]*/g,
    (s) => s.replace(/[^\n]/g, " "),
  );
}
