import { consume } from "@xdr-relay/core";
import { ConfigFaultPause, handleRows, SchemaGuard, type SinkDeps } from "@xdr-relay/sink";
import type { Pipeline } from "../wiring/pipeline.ts";

export function sinkDeps(p: Pipeline): SinkDeps {
  const i = p.config.ingestion;
  return {
    client: p.ingestion,
    dcrId: i.dcrId,
    uploadTimeoutMs: 120_000,
    batchMaxRows: i.batchMaxRows,
    batchMaxBytes: i.batchMaxBytes,
    maxAttempts: i.maxAttempts,
    maxConcurrency: i.maxConcurrency,
    now: p.clock.now,
    logger: p.logger,
    metrics: p.metrics,
    schemaGuard: new SchemaGuard(i.streams, i.schemaDriftPolicy),
    configFault: new ConfigFaultPause(p.logger, p.metrics),
  };
}

/**
 * Messages per receive. Each receive is cut into upload calls on its own, so its last call is
 * partly filled; a bigger receive wastes less but holds more in memory. Measured with `pnpm bench`
 * (200k rows, 1M backlog): 2,500 per slot gives 1.13× the ideal calls and a flat ~300 MiB peak;
 * 10,000 per slot gives 1.06× but ~500 MiB, too close to the 512 MB bound. Memory wins.
 */
export function sinkReceiveSize(i: { batchMaxRows: number; maxConcurrency: number }): number {
  return Math.min(i.batchMaxRows, 2_500) * i.maxConcurrency;
}

/**
 * The sink role: rows in, uploads out. One receive holds at most `maxBatchSize` messages, which
 * bounds memory whatever the backlog; `lingerMs` lets a trickle fill a batch before it is sent.
 */
export async function runSink(p: Pipeline, options: { signal: AbortSignal; stopWhenIdle?: () => boolean }): Promise<void> {
  const deps = sinkDeps(p);
  const i = p.config.ingestion;
  await consume({
    queueName: "rows",
    receiver: p.queue.client.createReceiver("rows"),
    sender: p.queue.client.createSender("rows"),
    handler: (messages) =>
      handleRows(
        deps,
        messages.map((m) => m.body),
      ),
    clock: p.clock,
    logger: p.logger,
    metrics: p.metrics,
    maxBatchSize: sinkReceiveSize(i),
    maxWaitTimeInMs: 500,
    lingerMs: i.lingerMs,
    signal: options.signal,
    shouldStopWhenEmpty: options.stopWhenIdle,
    // A 401/403/404 fails every row alike: stop receiving until a probe upload is accepted.
    pauseFor: () => deps.configFault?.pauseFor() ?? 0,
  });
}
