import { sinkReceiveSize } from "../../packages/cli/src/roles/sink-role.ts";
import { CounterMetrics, consumeStream, RelayConfig, silentLogger, systemClock } from "../../packages/core/src/index.ts";
import { EmbeddedQueueClient } from "../../packages/queue/src/index.ts";
import { ConfigFaultPause, createIngestionClient, RowStream, SchemaGuard, type SinkDeps } from "../../packages/sink/src/index.ts";
import { maxRssBytes, sampleRss } from "./harness.ts";

/**
 * Child process: `sink-trial.ts <queuePath> <endpoint> <dcrId> <maxMs>` drains the `rows` queue
 * with the sink role's logic (consumeStream + RowStream, wired as packages/cli/src/roles/sink-role.ts,
 * with the config's defaults) into the ingestion emulator, for at most `maxMs`. A fresh process, so
 * its RSS is the sink's. Prints one JSON line.
 */
export interface SinkTrialResult {
  readonly rowsIngested: number;
  readonly rowsLeft: number;
  readonly ms: number;
  /** The drain's start and end on the wall clock (epoch ms), to time sink processes running side by side. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** CPU the sink process spent draining (user + system, all threads: gzip runs off the main one). */
  readonly cpuMs: number;
  readonly rssStartBytes: number;
  /** RSS once a second, from the start of the drain. */
  readonly rssSamples: number[];
  readonly maxRssBytes: number;
  readonly deadLettered: number;
}

const [path = "", endpoint = "", dcrId = "", maxMsArg = "600000"] = process.argv.slice(2);
// `XDR_BENCH_INGESTION='{"maxConcurrency":4}'` tries other ingestion settings than the defaults, and
// `XDR_BENCH_RECEIVE=1400` another receive size than the sink role's.
const tried: unknown = JSON.parse(process.env["XDR_BENCH_INGESTION"] ?? "{}");
const ingestion = { ...(tried as object), endpoint, dcrId };
const i = RelayConfig.parse({ auth: "none", ingestion, tenants: [{ id: "contoso" }] }).ingestion;
const queue = new EmbeddedQueueClient({ path });
const metrics = new CounterMetrics();
const deps: SinkDeps = {
  client: createIngestionClient({ endpoint, auth: "none" }),
  dcrId,
  uploadTimeoutMs: 120_000,
  batchMaxRows: i.batchMaxRows,
  batchMaxBytes: i.batchMaxBytes,
  maxAttempts: i.maxAttempts,
  maxConcurrency: i.maxConcurrency,
  now: systemClock.now,
  logger: silentLogger,
  metrics,
  schemaGuard: new SchemaGuard(i.streams, i.schemaDriftPolicy),
  configFault: new ConfigFaultPause(silentLogger, metrics),
};
const stop = AbortSignal.timeout(Number(maxMsArg));
const left = () => {
  const s = queue.stats("rows");
  return s.active + s.scheduled + s.locked;
};
// The drain ends with the last settlement; the empty receive that follows (500 ms) is not drain time.
const inner = queue.createReceiver("rows");
let lastSettledAt = 0;
const settlements = new Set<PropertyKey>(["completeMessage", "deadLetterMessage", "abandonMessage", "rescheduleMessage"]);
const receiver = new Proxy(inner, {
  get(target, key) {
    if (settlements.has(key)) {
      const settle = Reflect.get(target, key) as (...args: unknown[]) => Promise<void>;
      return (...args: unknown[]) =>
        settle.apply(target, args).finally(() => {
          lastSettledAt = performance.now();
        });
    }
    const value: unknown = Reflect.get(target, key);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
const rssStart = process.memoryUsage.rss();
const sampler = sampleRss(1_000);
const started = performance.now();
const cpuStart = process.cpuUsage();
await consumeStream({
  queueName: "rows",
  receiver,
  sender: queue.createSender("rows"),
  handler: new RowStream(deps, { lingerMs: i.lingerMs }),
  clock: systemClock,
  logger: silentLogger,
  metrics,
  maxBatchSize: Number(process.env["XDR_BENCH_RECEIVE"] ?? sinkReceiveSize(i)),
  maxWaitTimeInMs: 500,
  signal: stop,
  shouldStopWhenEmpty: () => left() === 0,
  pauseFor: () => deps.configFault?.pauseFor() ?? 0,
});
const endedAt = left() > 0 ? performance.now() : lastSettledAt;
const result: SinkTrialResult = {
  rowsIngested: metrics.get("rowsIngested"),
  rowsLeft: left(),
  ms: endedAt - started,
  startedAtMs: performance.timeOrigin + started,
  endedAtMs: performance.timeOrigin + endedAt,
  cpuMs: ((cpu) => (cpu.user + cpu.system) / 1000)(process.cpuUsage(cpuStart)),
  rssStartBytes: rssStart,
  rssSamples: sampler.stop(),
  maxRssBytes: maxRssBytes(),
  deadLettered: queue.stats("rows").deadLettered,
};
await queue.close();
console.log(JSON.stringify(result));
