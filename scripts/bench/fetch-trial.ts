import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  builtInQueries,
  CounterMetrics,
  type HuntingRequest,
  type HuntingRow,
  type OutgoingMessage,
  type QueryWindow,
  RowIdentities,
  silentLogger,
  windowedQuery,
  windowTimespan,
} from "../../packages/core/src/index.ts";
import { GraphHuntingClient, handleWindow } from "../../packages/fetcher/src/index.ts";
import { openDatabase } from "../../packages/queue/src/embedded/database.ts";
import { EmbeddedQueueClient } from "../../packages/queue/src/index.ts";
import { collectGarbage, maxRssBytes, sampleRss, timed } from "./harness.ts";
import { windowMs } from "./tenant.ts";

/**
 * Child process, one measurement each (a fresh process, so its RSS high-water mark is this trial's):
 * `fetch-trial.ts parse|fetcher <url> <windowStartMs> <rowCap>`. Prints one JSON line.
 *  - parse: downloads the body (timed: until its last byte arrived), decodes it (untimed), then
 *    times `JSON.parse` of the text alone, then `JSON.stringify` of each row and the rows' ids (work
 *    every fetch does: a row is stored as text, under its id), then the least durable store of
 *    the rows in SQLite (`plainStoreMs`).
 *  - fetcher: the real path, GraphHuntingClient + handleWindow onto an embedded queue in a temp dir,
 *    with the time spent in the hunting call and in the queue's sends told apart.
 */
export interface FetchTrialResult {
  readonly mode: string;
  readonly rows: number;
  readonly ms: number;
  readonly responseBytes: number;
  readonly downloadMs: number;
  /** fetcher: inside `runHuntingQuery` (request, download and parse, overlapped). */
  readonly huntingMs: number;
  /** fetcher: inside the rows queue's `sendMessages` (the embedded queue's inserts). */
  readonly sendMs: number;
  /** parse: the row identities of the parsed rows (`RowIdentities`, as the fetcher computes them), after the parse. */
  readonly rowIdMs: number;
  /** parse: `JSON.stringify` of each parsed row, the least an id or a message body costs. */
  readonly stringifyMs: number;
  /**
   * parse: the rows stored the textbook way in a plain SQLite table: `JSON.stringify` of each row
   * and one prepared INSERT of (id, text) per row, in `synchronous=FULL` transactions of 5,000
   * rows (the fetcher's send size). No index, no duplicate history, no message envelope: the
   * least any fetcher on the embedded queue's SQLite must spend to keep the rows durably.
   */
  readonly plainStoreMs: number;
  readonly peakRssIncreaseBytes: number;
  readonly rssBeforeBytes: number;
}

const [mode = "parse", url = "", startArg = "0", rowCapArg = "1000000"] = process.argv.slice(2);
const startMs = Number(startArg);
const rowCap = Number(rowCapArg);
const query = "alert-evidence";
const definition = builtInQueries[query];
if (!definition) throw new Error(`built-in query ${query} is missing`);
const range = { startMs, endMs: startMs + windowMs };

const result = mode === "parse" ? await parseTrial() : await fetcherTrial();
console.log(JSON.stringify(result));

async function parseTrial(): Promise<FetchTrialResult> {
  const body = JSON.stringify({ Query: windowedQuery(definition?.kql ?? "", range), Timespan: windowTimespan(range) });
  const download = await timed(async () => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body ?? []) chunks.push(chunk);
    return chunks;
  });
  const responseBytes = download.value.reduce((sum, c) => sum + c.length, 0);
  let text: string | undefined = Buffer.concat(download.value).toString("utf8");
  download.value.length = 0;
  collectGarbage();
  const rssBefore = process.memoryUsage.rss();
  const parsed = await timed(() => JSON.parse(text as string) as { results: unknown[] });
  // The high-water mark misses a small parse (start-up peaked higher); RSS while holding the result does not.
  const peak = Math.max(maxRssBytes(), process.memoryUsage.rss()) - rssBefore;
  text = undefined;
  const stringified = await timed(() => {
    for (const row of parsed.value.results) JSON.stringify(row);
  });
  const identities = new RowIdentities("contoso", query);
  const ids: string[] = [];
  const rowIds = await timed(() => {
    for (const row of parsed.value.results) ids.push(identities.next(row as HuntingRow).rowId);
  });
  const plainStore = await timed(() => storePlainly(parsed.value.results, ids));
  return {
    mode,
    rows: parsed.value.results.length,
    ms: parsed.ms,
    responseBytes,
    downloadMs: download.ms,
    huntingMs: 0,
    sendMs: 0,
    rowIdMs: rowIds.ms,
    stringifyMs: stringified.ms,
    plainStoreMs: plainStore.ms,
    peakRssIncreaseBytes: peak,
    rssBeforeBytes: rssBefore,
  };
}

async function fetcherTrial(): Promise<FetchTrialResult> {
  const dir = mkdtempSync(join(tmpdir(), "xdr-bench-fetch-"));
  const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
  try {
    const client = new GraphHuntingClient({ url, credentialFor: undefined, requestTimeoutMs: 200_000 });
    const rowsSender = queue.createSender("rows");
    const spent = { huntingMs: 0, sendMs: 0 };
    const deps = {
      hunting: { runHuntingQuery: clocked(spent, "huntingMs", (r: HuntingRequest) => client.runHuntingQuery(r)) },
      rows: {
        sendMessages: clocked(spent, "sendMs", (m: readonly OutgoingMessage[]) => rowsSender.sendMessages(m)),
        close: () => rowsSender.close(),
      },
      windows: queue.createSender("windows"),
      queryFor: (name: string) => (name === query ? definition : undefined),
      rowCap,
      maxAttempts: 5,
      minWindowMs: 1_000,
      sendBatchSize: 5_000, // as packages/cli/src/roles/fetcher-role.ts
      logger: silentLogger,
      metrics: new CounterMetrics(),
    };
    const window: QueryWindow = {
      version: 1,
      tenant: "contoso",
      query,
      start: new Date(range.startMs).toISOString(),
      end: new Date(range.endMs).toISOString(),
      attempt: 0,
      depth: 0,
      origin: "schedule",
      sweep: 0,
    };
    collectGarbage();
    const rssBefore = process.memoryUsage.rss();
    const sampler = sampleRss(20);
    const run = await timed(() => handleWindow(deps, window));
    const sampled = Math.max(...sampler.stop()) - rssBefore;
    if (run.value.kind !== "completed") throw new Error(`window not completed: ${JSON.stringify(run.value)}`);
    const peak = Math.max(maxRssBytes() - rssBefore, sampled);
    return {
      mode,
      rows: queue.stats("rows").active,
      ms: run.ms,
      responseBytes: 0,
      downloadMs: 0,
      rowIdMs: 0,
      stringifyMs: 0,
      plainStoreMs: 0,
      ...spent,
      peakRssIncreaseBytes: peak,
      rssBeforeBytes: rssBefore,
    };
  } finally {
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** See `plainStoreMs`: as the queue bench's plain-table baseline sends (queue-baseline.ts). */
function storePlainly(rows: readonly unknown[], ids: readonly string[]): void {
  const dir = mkdtempSync(join(tmpdir(), "xdr-bench-plain-"));
  const db = openDatabase(join(dir, "plain.sqlite"));
  try {
    db.pragma("synchronous = FULL");
    db.exec("CREATE TABLE plain (id TEXT NOT NULL, body TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO plain (id, body) VALUES (?, ?)");
    const batch = 5_000;
    for (let at = 0; at < rows.length; at += batch) {
      db.transaction(() => {
        for (let i = at; i < Math.min(at + batch, rows.length); i++) insert.run(ids[i], JSON.stringify(rows[i]));
      }).immediate();
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `work`, adding the time each call takes to `spent[key]`. */
function clocked<A, R>(spent: Record<string, number>, key: string, work: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  return async (arg) => {
    const started = performance.now();
    try {
      return await work(arg);
    } finally {
      spent[key] = (spent[key] ?? 0) + performance.now() - started;
    }
  };
}
