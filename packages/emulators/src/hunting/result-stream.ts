import type { ServerResponse } from "node:http";
import type { SyntheticRow, TableColumn } from "./tables.ts";

const odataContext = "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults";
/** Writes go out in chunks of about this many characters: few syscalls, bounded memory. */
const chunkChars = 64 * 1024;

/** The response body up to the first row: `{"@odata.context":…,"schema":[…],"results":[`. */
export function resultHead(columns: readonly TableColumn[], capitalizedSchema: boolean): string {
  const schema = columns.map((c) => (capitalizedSchema ? { Name: c.name, Type: c.type } : { name: c.name, type: c.type }));
  return `{"@odata.context":${JSON.stringify(odataContext)},"schema":${JSON.stringify(schema)},"results":[`;
}

export const resultTail = "]}";

/**
 * A row as JSON with exactly the projected columns, in projection order. Rows are built with their
 * table's columns in schema order, so an unprojected query stringifies the row as it is. A projected
 * row is copied first: measured faster than a replacer array or hand-built JSON.
 */
export function rowSerializer(
  columns: readonly TableColumn[],
  tableColumns: readonly TableColumn[],
): (row: SyntheticRow) => string {
  const names = columns.map((c) => c.name);
  const isWholeRow = names.length === tableColumns.length && names.every((n, i) => n === tableColumns[i]?.name);
  if (isWholeRow) return (row) => JSON.stringify(row);
  return (row) => {
    const projected: SyntheticRow = {};
    for (const name of names) projected[name] = row[name] ?? null;
    return JSON.stringify(projected);
  };
}

/**
 * Streams a 200 result: head, rows separated by commas, tail. Rows are pulled from `rows` only as
 * fast as the client reads (a `false` from `write` waits for `drain`), so a 100,000-row answer
 * never sits in memory whole. Stops early, quietly, when the client goes away.
 */
export async function streamResult(res: ServerResponse, head: string, rows: Iterable<string>): Promise<void> {
  res.writeHead(200, {
    "content-type": "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8",
  });
  let chunk = head;
  let first = true;
  for (const row of rows) {
    chunk += first ? row : `,${row}`;
    first = false;
    if (chunk.length < chunkChars) continue;
    if (!(await write(res, chunk))) return;
    chunk = "";
  }
  if (await write(res, chunk + resultTail)) res.end();
}

/** Writes and waits for the socket when it is full; false when the client is gone. */
async function write(res: ServerResponse, text: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(text)) await drained(res);
  return !res.destroyed;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
