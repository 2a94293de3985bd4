import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { OutgoingMessage } from "../../packages/core/src/index.ts";
import { rowMessageChunks } from "./bench-rows.ts";
import { median, repeat } from "./harness.ts";
import { baselineTrial } from "./queue-baseline.ts";
import { type QueuePhaseRates, queueTrial } from "./queue-trial.ts";

/**
 * The embedded queue alone: `messages` bench row messages (~770 bytes of JSON each) sent in
 * batches of `sendBatch` (the fetcher's), received in batches of `receiveBatch` (the sink's) and
 * completed, against a plain SQLite table doing the same storage work (see `baselineTrial`).
 * Each run pairs a baseline trial with a queue trial on fresh files; ratios are medians over pairs.
 */
export interface QueueBenchResult {
  readonly messages: number;
  readonly runs: number;
  readonly queue: QueuePhaseRates;
  readonly baseline: QueuePhaseRates;
  readonly ratio: QueuePhaseRates;
}

export async function queueBench(options: {
  messages: number;
  runs: number;
  dir: string;
  sendBatch?: number;
  receiveBatch?: number;
}): Promise<QueueBenchResult> {
  const { sendBatch = 5_000, receiveBatch = 2_500 } = options;
  mkdirSync(options.dir, { recursive: true });
  const batches: OutgoingMessage[][] = [...rowMessageChunks(options.messages, sendBatch)];
  const pairs = await repeat(options.runs, async (run) => ({
    baseline: baselineTrial(join(options.dir, `plain${run}.sqlite`), batches, receiveBatch),
    queue: await queueTrial(join(options.dir, `queue${run}.sqlite`), batches, receiveBatch),
  }));
  const phase = (pick: (p: (typeof pairs)[number]) => QueuePhaseRates) => ({
    sendPerS: median(pairs.map((p) => pick(p).sendPerS)),
    receivePerS: median(pairs.map((p) => pick(p).receivePerS)),
    completePerS: median(pairs.map((p) => pick(p).completePerS)),
  });
  return {
    messages: batches.reduce((n, b) => n + b.length, 0),
    runs: options.runs,
    queue: phase((p) => p.queue),
    baseline: phase((p) => p.baseline),
    ratio: phase((p) => ({
      sendPerS: p.queue.sendPerS / p.baseline.sendPerS,
      receivePerS: p.queue.receivePerS / p.baseline.receivePerS,
      completePerS: p.queue.completePerS / p.baseline.completePerS,
    })),
  };
}
