import type { ServerResponse } from "node:http";
import type { RenderedChunk } from "./result-cache.ts";
import type { SyntheticRow, TableColumn } from "./tables.ts";

const odataContext = "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults";
/**
 * Writes go out in chunks of about this many characters: a quarter of the writes and Buffer
 * conversions of 64 KB chunks, while the first rows still leave within milliseconds.
 */
const chunkChars = 256 * 1024;

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

/** A row as served: its table index and its JSON. */
export interface RowJson {
  readonly index: number;
  readonly json: string;
}

/**
 * A 200 result's body as chunks of about `chunkChars`: head, rows separated by commas, tail. Lazy:
 * rows are rendered only as chunks are pulled, so a 100,000-row answer is written as it is made.
 */
export function* renderChunks(head: string, rows: Iterable<RowJson>): Generator<RenderedChunk, void, undefined> {
  let text = head;
  let indexes: number[] = [];
  let first = true;
  for (const row of rows) {
    text += first ? row.json : `,${row.json}`;
    first = false;
    indexes.push(row.index);
    if (text.length < chunkChars) continue;
    yield { bytes: Buffer.from(text), rowIndexes: Uint32Array.from(indexes) };
    text = "";
    indexes = [];
  }
  yield { bytes: Buffer.from(text + resultTail), rowIndexes: Uint32Array.from(indexes) };
}

/**
 * Writes a 200 result chunk by chunk, pulling the next only once the socket took the last (a
 * `false` from `write` waits for `drain`), and tells `onWritten` of each chunk handed to the
 * socket. Stops early, quietly, when the client goes away; true when the whole body went out.
 */
export async function writeResult(
  res: ServerResponse,
  chunks: Iterable<RenderedChunk>,
  onWritten: (chunk: RenderedChunk) => void,
): Promise<boolean> {
  res.writeHead(200, {
    "content-type": "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8",
  });
  for (const chunk of chunks) {
    if (!(await write(res, chunk.bytes))) return false;
    onWritten(chunk);
  }
  res.end();
  return true;
}

/** Writes and waits for the socket when it is full; false when the client is gone. */
async function write(res: ServerResponse, bytes: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(bytes)) await drained(res);
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
