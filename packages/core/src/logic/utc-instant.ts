/**
 * An ISO 8601 date or date-time as epoch ms, the way KQL and Log Analytics read one: without a zone
 * it is UTC (`Date.parse` reads a date-time without a zone in this machine's local time, so an
 * emulator on a developer's laptop answered for another window than Azure would). NaN for text
 * that is not such an instant, or names a day the calendar lacks (`Date.parse` moves 2026-02-30
 * to 2 March, where the service refuses it).
 */
export function utcInstantMs(text: string): number {
  const trimmed = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(trimmed);
  if (!m) return Number.NaN;
  const [, year, month, day, zone] = m;
  if (new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() !== Number(day)) return Number.NaN;
  const hasTime = trimmed.length > 10;
  return Date.parse(hasTime && zone === undefined ? `${trimmed.replace(" ", "T")}Z` : trimmed);
}
