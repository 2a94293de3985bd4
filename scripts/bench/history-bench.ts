import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { OutgoingMessage } from "../../packages/core/src/index.ts";
import { EmbeddedQueueClient } from "../../packages/queue/src/index.ts";
import { rowMessageChunks } from "./bench-rows.ts";
import { median, repeat, timed } from "./harness.ts";
import { copyQueue } from "./queue-files.ts";

/**
 * What a filling duplicate history costs the fetcher's sends. The embedded queue remembers every
 * message id it was sent for `queue.duplicateDetectionHistoryMs` (7 days by default), so a busy
 * tenant's queue remembers millions of row ids. Each run sends the same `messages` bench row
 * messages, in sends of 5,000 (the fetcher's), to two copies of one queue file: one whose history
 * is empty, one that already remembers `remembered` other ids (first seen an hour ago, so none
 * expires during the trial). The ratio is the send rate with the full history over the rate with
 * the empty one, medians over runs; the two trials of a run alternate in order.
 */
export interface HistoryBenchResult {
  readonly messages: number;
  readonly remembered: number;
  readonly runs: number;
  readonly emptySendPerS: number;
  readonly rememberingSendPerS: number;
  readonly ratio: number;
  /** Filling the history before the trials (done once, directly in SQL). */
  readonly preloadMs: number;
  /**
   * The longest single send (of 5,000) among all the trial's sends, once every remembered id has
   * expired, and on the empty history: forgetting expired ids must not stall a send.
   */
  readonly expiredLongestSendMs: number;
  readonly emptyLongestSendMs: number;
}

export async function historyBench(options: {
  messages: number;
  remembered: number;
  runs: number;
  dir: string;
}): Promise<HistoryBenchResult> {
  mkdirSync(options.dir, { recursive: true });
  const batches: OutgoingMessage[][] = [...rowMessageChunks(options.messages, 5_000)];
  const empty = join(options.dir, "empty.sqlite");
  await new EmbeddedQueueClient({ path: empty }).close();
  const remembering = copyQueue(empty, join(options.dir, "remembering.sqlite"));
  const preload = await timed(() => rememberIds(remembering, options.remembered));
  const pairs = await repeat(options.runs, async (run) => {
    // A fresh file per trial: a copy over an older trial's file would meet that trial's log.
    const trial = (template: string, kind: string) =>
      sendTrial(copyQueue(template, join(options.dir, `trial${run}-${kind}.sqlite`)), batches);
    if (run % 2 === 1) {
      const rememberingRate = await trial(remembering, "remembering");
      return { remembering: rememberingRate, empty: await trial(empty, "empty") };
    }
    const emptyRate = await trial(empty, "empty");
    return { empty: emptyRate, remembering: await trial(remembering, "remembering") };
  });
  // The same sends, once every remembered id has expired (first seen an hour ago, history 10 min).
  const expired = await sendTrial(copyQueue(remembering, join(options.dir, "expired.sqlite")), batches, 600_000);
  const fresh = await sendTrial(copyQueue(empty, join(options.dir, "fresh.sqlite")), batches, 600_000);
  return {
    messages: batches.reduce((n, b) => n + b.length, 0),
    remembered: options.remembered,
    runs: options.runs,
    emptySendPerS: median(pairs.map((p) => p.empty.perS)),
    rememberingSendPerS: median(pairs.map((p) => p.remembering.perS)),
    ratio: median(pairs.map((p) => p.remembering.perS / p.empty.perS)),
    preloadMs: preload.ms,
    expiredLongestSendMs: expired.longestMs,
    emptyLongestSendMs: fresh.longestMs,
  };
}

/** The relay's default `queue.duplicateDetectionHistoryMs` (the queue's own default is Service Bus's 10 min). */
const relayHistoryMs = 7 * 24 * 3_600_000;

/** Sends every batch to `rows` of a queue file: messages per second, and the longest send. */
async function sendTrial(
  path: string,
  batches: readonly OutgoingMessage[][],
  historyMs = relayHistoryMs,
): Promise<{ perS: number; longestMs: number }> {
  const client = new EmbeddedQueueClient({ path, duplicateDetectionHistoryMs: historyMs });
  try {
    const sender = client.createSender("rows");
    let totalMs = 0;
    let longestMs = 0;
    for (const batch of batches) {
      const { ms } = await timed(() => sender.sendMessages(batch));
      totalMs += ms;
      longestMs = Math.max(longestMs, ms);
    }
    return { perS: batches.reduce((n, b) => n + b.length, 0) / (totalMs / 1000), longestMs };
  } finally {
    await client.close();
  }
}

/**
 * Fills the history of `rows` with `count` ids shaped like row ids (32 hex characters), in one
 * transaction: through `sendMessages` a million would take minutes, for the very cost this bench
 * measures. Writes the queue's own table, so it follows its schema.
 */
function rememberIds(path: string, count: number): void {
  const requireFromQueue = createRequire(join(import.meta.dirname, "../../packages/queue/package.json"));
  const Database = requireFromQueue("libsql") as new (path: string) => LibsqlDatabase;
  const db = new Database(path);
  try {
    // Hashes, so in random order: as row ids arrive, leaving the tree's pages part-full as it grows.
    const ids = Array.from({ length: count }, (_, i) => createHash("sha256").update(`old ${i}`).digest("hex").slice(0, 32));
    const firstSeenAt = Date.now() - 3_600_000;
    const insert = db.prepare("INSERT INTO queue_message_ids (queue, message_id, first_seen_at) VALUES ('rows', ?, ?)");
    db.transaction(() => {
      for (const id of ids) insert.run(id, firstSeenAt);
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

interface LibsqlDatabase {
  prepare(sql: string): { run(...values: unknown[]): unknown };
  transaction(fn: () => void): () => void;
  pragma(sql: string): unknown;
  close(): void;
}
