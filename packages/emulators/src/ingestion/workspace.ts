import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "@xdr-relay/core";
import { appendLines, completeLines, cutTornTail, isMissing } from "./jsonl-file.ts";

export type LandedRow = Record<string, unknown>;

/** What landed in the emulated Log Analytics workspace: one `<Table>.jsonl` per table. */
export interface WorkspaceReader {
  readonly dir: string;
  /** Tables rows have landed in, sorted. */
  tables(): Promise<string[]>;
  count(table: string): Promise<number>;
  /** Rows in the order they landed. */
  read(table: string): AsyncIterable<LandedRow>;
  readAll(table: string): Promise<LandedRow[]>;
}

export interface Workspace extends WorkspaceReader {
  /** Appends one accepted call's rows at once; a crash mid-way leaves only a torn line, cut later. */
  append(table: string, rows: readonly LandedRow[]): Promise<void>;
}

const suffix = ".jsonl";
const tableName = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Opens the workspace in `dir` (created on the first append). Any number of readers, in this
 * process or another, may open the same directory; only one process may append to it.
 */
export function openWorkspace(dir: string, options: { fsync?: boolean } = {}): Workspace {
  // Appends to one table run one after another (the SDK uploads chunks concurrently); the first
  // one first cuts a line a crash may have torn, so it cannot glue onto the new rows.
  const appending = new Map<string, Promise<void>>();
  // count() rereads only what was appended since it last looked.
  const counted = new Map<string, { end: number; lines: number }>();
  const fileOf = (table: string): string => {
    if (!tableName.test(table)) throw new ConfigError(`"${table}" is not a table name (letters, digits, _)`);
    return join(dir, table + suffix);
  };

  async function* read(table: string): AsyncGenerator<LandedRow> {
    for await (const { line } of completeLines(fileOf(table))) yield JSON.parse(line.toString("utf8")) as LandedRow;
  }

  return {
    dir,
    async tables() {
      try {
        const names = await readdir(dir);
        return names
          .filter((n) => n.endsWith(suffix))
          .map((n) => n.slice(0, -suffix.length))
          .sort();
      } catch (e) {
        if (isMissing(e)) return [];
        throw e;
      }
    },
    async count(table) {
      const path = fileOf(table);
      const size = await stat(path).then(
        (s) => s.size,
        (e) => (isMissing(e) ? 0 : Promise.reject(e)),
      );
      let seen = counted.get(table) ?? { end: 0, lines: 0 };
      if (size < seen.end) seen = { end: 0, lines: 0 };
      for await (const { end } of completeLines(path, seen.end)) seen = { end, lines: seen.lines + 1 };
      counted.set(table, seen);
      return seen.lines;
    },
    read,
    async readAll(table) {
      const rows: LandedRow[] = [];
      for await (const row of read(table)) rows.push(row);
      return rows;
    },
    append(table, rows) {
      const path = fileOf(table);
      const text = rows.map((r) => `${JSON.stringify(r)}\n`).join("");
      const previous = appending.get(table);
      const first = previous === undefined ? mkdir(dir, { recursive: true }).then(() => cutTornTail(path)) : previous;
      const next = first.then(() => (text === "" ? undefined : appendLines(path, text, options.fsync ?? false)));
      // A failed append must not block the next ones: it rejects for its caller only.
      appending.set(
        table,
        next.catch(() => undefined),
      );
      return next;
    },
  };
}
