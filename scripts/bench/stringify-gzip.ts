import { gunzipSync, gzipSync } from "node:zlib";
import type { RowMessage } from "../../packages/core/src/index.ts";
import { toRecord } from "../../packages/sink/src/index.ts";
import { rowMessageChunks } from "./bench-rows.ts";
import { median, repeat, timed } from "./harness.ts";

/**
 * The sink's in-process ceiling: JSON.stringify + gzip (zlib `gzipSync`) of the same records, in
 * batches of ~950 KB, with no queue and no HTTP. Also the byte count behind the ideal call count.
 */
export interface StringifyGzipResult {
  readonly rows: number;
  readonly uncompressedBytes: number;
  readonly gzippedBytes: number;
  readonly batches: number;
  readonly rowsPerS: number;
  /**
   * gunzip + JSON.parse of the same gzipped batches: the least the ingestion emulator does with
   * each call (the service reads what it is sent), on the same machine as the sink.
   */
  readonly unzipParseRowsPerS: number;
}

/** As the sink cuts (`ingestion.batchMaxBytes` default) and compresses (gzip level 1, see sink's gzip-policy.ts). */
const batchBytes = 990_000;
const gzipLevel = 1;

/** The records the sink uploads for `rows` bench row messages. */
export function benchRecords(rows: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const chunk of rowMessageChunks(rows, 20_000)) for (const m of chunk) records.push(toRecord(m.body as RowMessage));
  return records;
}

export async function stringifyGzip(rows: number, runs: number): Promise<StringifyGzipResult> {
  const records = benchRecords(rows);
  const trials = await repeat(runs, async () => timed(() => compress(records)));
  const last = trials.at(-1)?.value;
  if (!last) throw new Error("stringify+gzip ran no trial");
  const { bodies, ...sizes } = last;
  const unzipped = await repeat(runs, async () =>
    timed(() => {
      for (const body of bodies) JSON.parse(gunzipSync(body).toString("utf8"));
    }),
  );
  return {
    ...sizes,
    rowsPerS: median(trials.map((t) => records.length / (t.ms / 1000))),
    unzipParseRowsPerS: median(unzipped.map((t) => records.length / (t.ms / 1000))),
  };
}

type Compressed = Omit<StringifyGzipResult, "rowsPerS" | "unzipParseRowsPerS"> & { readonly bodies: Buffer[] };

function compress(records: readonly Record<string, unknown>[]): Compressed {
  const bodies: Buffer[] = [];
  let uncompressedBytes = 0;
  let gzippedBytes = 0;
  let batches = 0;
  let parts: string[] = [];
  let bytes = 2;
  const flush = () => {
    const body = `[${parts.join(",")}]`;
    uncompressedBytes += Buffer.byteLength(body);
    const gzipped = gzipSync(body, { level: gzipLevel });
    gzippedBytes += gzipped.length;
    bodies.push(gzipped);
    batches++;
    parts = [];
    bytes = 2;
  };
  for (const record of records) {
    const json = JSON.stringify(record);
    if (parts.length > 0 && bytes + json.length + 1 > batchBytes) flush();
    parts.push(json);
    bytes += json.length + 1;
  }
  if (parts.length > 0) flush();
  return { rows: records.length, uncompressedBytes, gzippedBytes, batches, bodies };
}
