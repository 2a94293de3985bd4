import { queueNames } from "@xdr-relay/core";
import { enqueueResweep } from "@xdr-relay/scheduler";
import { claimDemoDataDir } from "../demo/demo-data-dir.ts";
import { demoPlan } from "../demo/demo-plan.ts";
import { demoHours, demoRows, parseDemoBound } from "../demo/demo-size.ts";
import { startDemoWorld } from "../demo/demo-world.ts";
import { injectDemoFaults } from "../demo/faults.ts";
import { fmt, startProgress } from "../demo/progress.ts";
import { summaryLines } from "../demo/summary.ts";
import { countWorkspace } from "../demo/workspace-totals.ts";
import { runRoles } from "../roles/run-roles.ts";
import { jsonLogger, type LogLevel } from "../wiring/logger.ts";
import { buildPipeline } from "../wiring/pipeline.ts";

/**
 * The whole pipeline in one process on the embedded queue, against loopback emulators: a period
 * of synthetic Defender alerts goes scheduler → fetcher → sink → Log Analytics stand-in, then a
 * late-arrival re-sweep runs over its last hours. Exits non-zero if any row was lost, duplicated
 * in the workspace, or dead-lettered.
 */
export async function demoCommand(o: {
  hours?: string | undefined;
  rows?: string | undefined;
  dataDir?: string | undefined;
  faults: boolean;
  logLevel: LogLevel;
  /** Ctrl-C: the roles stop gracefully (in-flight batches settle) and the demo ends early. */
  signal?: AbortSignal;
}): Promise<number> {
  const startedMs = performance.now();
  const hours = parseDemoBound(demoHours, o.hours);
  const plan = demoPlan({ nowMs: Date.now(), hours, rows: parseDemoBound(demoRows, o.rows) });
  const dataDir = o.dataDir ?? ".xdr-relay/demo";
  claimDemoDataDir(dataDir, { ownDir: o.dataDir === undefined });
  await using world = await startDemoWorld(plan, dataDir);
  const pipeline = buildPipeline(world.config, jsonLogger(o.logLevel));
  const m = pipeline.metrics;
  console.log(`xdr-relay demo: ${hours} h of synthetic Defender alerts for tenant "${world.config.tenants[0]?.id}"`);
  console.log(`  hunting API (Graph runHuntingQuery emulator)  ${world.hunting.url}`);
  console.log(`  Logs Ingestion API emulator                   ${world.ingestion.endpoint}`);
  console.log(`  embedded queue and checkpoints                ${dataDir}`);
  if (o.faults) console.log(`  injected faults: ${injectDemoFaults(world)}`);
  let resweepWindows = 0;
  const stopProgress = startProgress({
    metrics: m,
    totalWindows: () => m.get("windowsEnqueued") + 2 * m.get("windowsSplit") + resweepWindows,
    ingested: () => world.ingestion.stats.rowsAccepted,
    startedMs,
  });
  try {
    const signal = o.signal ?? new AbortController().signal;
    console.log("pass 1: scheduler enqueues every window of the period; fetcher and sink drain the queues");
    await runRoles(pipeline, { roles: ["scheduler", "fetcher", "sink"], untilIdle: true, fetchConcurrency: 4, signal });
    if (signal.aborted) return stoppedEarly(stopProgress, world.ingestion.stats.rowsAccepted, startedMs);
    const servedFirst = world.hunting.stats.distinctRowsServed;
    world.advance(plan.resweepAfterMs);
    console.log(
      `pass 2: ${plan.resweepAfterMs / 3_600_000} h later, a re-sweep of the last ${plan.resweepMs / 3_600_000} h finds late rows`,
    );
    resweepWindows = await enqueueResweep({
      tenant: world.config.tenants[0]?.id ?? "",
      queries: world.config.tenants[0]?.queries ?? [],
      fromMs: plan.endMs - plan.resweepMs,
      toMs: plan.endMs,
      windowMs: plan.windowMs,
      sweep: 1,
      windows: pipeline.queue.client.createSender(queueNames.windows),
      logger: pipeline.logger,
    });
    await runRoles(pipeline, { roles: ["fetcher", "sink"], untilIdle: true, fetchConcurrency: 4, signal });
    if (signal.aborted) return stoppedEarly(stopProgress, world.ingestion.stats.rowsAccepted, startedMs);
    stopProgress();
    const workspace = await countWorkspace(world.ingestion.workspace);
    const depth = (q: string) => pipeline.queue.depth?.(q);
    const totals = {
      windows: m.get("windowsFetched"),
      windowsSplit: m.get("windowsSplit"),
      served: world.hunting.stats.distinctRowsServed,
      ingested: workspace.rows,
      distinctIngested: workspace.distinctRowIds,
      duplicates: depth("rows")?.duplicatesDropped ?? 0,
      deadLettered: Object.values(queueNames).reduce((n, q) => n + (depth(q)?.deadLettered ?? 0), 0),
      retries: m.get("windowsMessageRetried") + m.get("rowsMessageRetried"),
      lateFound: world.hunting.stats.distinctRowsServed - servedFirst,
      wallMs: performance.now() - startedMs,
      tactics: workspace.tactics,
    };
    for (const line of summaryLines(totals)) console.log(line);
    const lost = totals.served !== totals.ingested || totals.distinctIngested !== totals.ingested || totals.deadLettered > 0;
    if (lost) console.error("xdr-relay demo: rows were lost, duplicated or dead-lettered (see above)");
    return lost ? 1 : 0;
  } finally {
    stopProgress();
    await pipeline.close();
  }
}

/** A demo stopped by Ctrl-C proves nothing about its totals: say how far it got, exit 130 as a shell expects. */
function stoppedEarly(stopProgress: () => void, ingested: number, startedMs: number): number {
  stopProgress(); // its last line first, then ours
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
  console.log(`demo stopped after ${seconds} s: ${fmt(ingested)} rows ingested so far; run it again to start over`);
  return 130;
}
