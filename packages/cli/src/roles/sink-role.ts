import { consumeStream, sinkFaultKey } from "@xdr-relay/core";
import { ConfigFaultPause, RowStream, SchemaGuard, type SinkDeps, StreamRejections } from "@xdr-relay/sink";
import { faultRecord } from "../wiring/fault-records.ts";
import type { Pipeline } from "../wiring/pipeline.ts";
import { warnUncheckedStreams } from "./unchecked-streams.ts";

/**
 * How long a stopping sink lets its uploads run (those in flight, and the held rows it ships at the
 * stop) before it gives them up and puts their rows back. Under Kubernetes' default 30 s grace and
 * systemd's 90 s, so a hung service cannot turn a stop into a kill.
 */
export const stopGraceMs = 20_000;

export function sinkDeps(p: Pipeline, stopDeadline?: AbortSignal): SinkDeps {
  const i = p.config.ingestion;
  return {
    client: p.ingestion,
    dcrId: i.dcrId,
    uploadTimeoutMs: 120_000,
    ...(stopDeadline ? { stopDeadline } : {}),
    batchMaxRows: i.batchMaxRows,
    batchMaxBytes: i.batchMaxBytes,
    maxAttempts: i.maxAttempts,
    maxConcurrency: i.maxConcurrency,
    now: p.clock.now,
    logger: p.logger,
    metrics: p.metrics,
    schemaGuard: new SchemaGuard(i.streams, i.schemaDriftPolicy),
    configFault: new ConfigFaultPause(p.logger, p.metrics, undefined, faultRecord(p, sinkFaultKey)),
    rejections: new StreamRejections(p.logger, p.metrics),
  };
}

/**
 * Messages per receive at most. Memory is bounded by what the sink holds (`RowStream.room()`:
 * (maxConcurrency + 2) batches), not by this. A bigger receive saves queue calls but costs GC:
 * its messages are all parsed at once, and the young ones copied at every collection until
 * their batch is uploaded. 5,000 a receive (2,500 per upload slot, before) took ~6–8 % more CPU a
 * row than 1,000 in paired sink trials (`scripts/bench/sink-once.ts`; the rate moved within
 * noise); 500 and 2,000 did no better.
 */
export function sinkReceiveSize(i: { batchMaxRows: number; maxConcurrency: number }): number {
  return Math.min(1_000, i.batchMaxRows * i.maxConcurrency);
}

/**
 * The sink role: rows in, uploads out, overlapped. Rows are received while earlier batches upload;
 * a batch that is not full waits up to `lingerMs` (less under a short lock) for the next rows, so
 * calls are as full as the backlog allows; each message is settled once its upload has an answer.
 */
export async function runSink(
  p: Pipeline,
  options: { signal: AbortSignal; stopWhenIdle?: () => boolean | Promise<boolean> },
): Promise<void> {
  const deadline = stopDeadlineAfter(options.signal, stopGraceMs);
  const deps = sinkDeps(p, deadline.signal);
  const i = p.config.ingestion;
  warnUncheckedStreams(p.config, p.logger);
  await consumeStream({
    queueName: "rows",
    receiver: p.queue.client.createReceiver("rows"),
    sender: p.queue.client.createSender("rows"),
    handler: new RowStream(deps, { lingerMs: i.lingerMs }),
    clock: p.clock,
    logger: p.logger,
    metrics: p.metrics,
    maxBatchSize: sinkReceiveSize(i),
    maxWaitTimeInMs: 500,
    signal: options.signal,
    shouldStopWhenEmpty: options.stopWhenIdle,
    // A 401/403/404 fails every row alike: stop receiving until a probe upload is accepted.
    pauseFor: () => deps.configFault?.pauseFor() ?? 0,
  }).finally(() => deadline.dispose());
}

/** A signal aborted `graceMs` after `stop` is; `dispose` once the role has ended, so no timer outlives it. */
function stopDeadlineAfter(stop: AbortSignal, graceMs: number): { signal: AbortSignal; dispose(): void } {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => deadline.abort(), graceMs);
  };
  if (stop.aborted) arm();
  else stop.addEventListener("abort", arm, { once: true });
  return {
    signal: deadline.signal,
    dispose() {
      stop.removeEventListener("abort", arm);
      clearTimeout(timer);
    },
  };
}
