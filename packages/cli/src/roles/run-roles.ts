import { ConfigError, queueNames } from "@xdr-relay/core";
import { isResweepPass } from "@xdr-relay/scheduler";
import type { OpenedQueue } from "../wiring/open-queue.ts";
import { peekPages } from "../wiring/peek-pages.ts";
import type { Pipeline } from "../wiring/pipeline.ts";
import { watchDataFiles } from "./data-file-watch.ts";
import { runFetcher } from "./fetcher-role.ts";
import { passesDueNow, runScheduler } from "./scheduler-role.ts";
import { runSink } from "./sink-role.ts";

export type Role = "scheduler" | "fetcher" | "sink";
export const allRoles: readonly Role[] = ["scheduler", "fetcher", "sink"];

export interface RunOptions {
  readonly roles: readonly Role[];
  /** Stop once no window is due and the queues this process consumes are drained. */
  readonly untilIdle: boolean;
  readonly fetchConcurrency: number;
  readonly signal: AbortSignal;
}

/**
 * Runs the chosen roles in this process. With `untilIdle`, each role stops in pipeline order: the
 * scheduler once nothing is due, the fetcher once the scheduler is done and no window is waiting
 * in either lane (scheduled retries included), the sink once the fetcher is done and no row is
 * waiting. A late-arrival re-sweep a backfill scheduled for later is not waited for, as the
 * scheduler's own re-sweeps not due yet are not: it stays on the queue for the run that is going
 * when it is due.
 *
 * With the scheduler among the roles, windows that came due while the others drained (a cron
 * run's drain can outlast a window) get another round before the run ends, so it ends current:
 * `status --check` right after it does not say BEHIND. Each round has less to do than the one
 * before, unless the relay cannot keep up at all: then the run still ends, after `maxRounds`,
 * and the next run takes what is due.
 */
export async function runRoles(p: Pipeline, options: RunOptions): Promise<void> {
  for (let round = 1; ; round++) {
    await runRound(p, options);
    if (!options.untilIdle || !options.roles.includes("scheduler") || options.signal.aborted) return;
    const due = await passesDueNow(p);
    if (due === 0) return;
    if (round === maxRounds) {
      p.logger.warn("runEndedBehind", { rounds: round, passesDue: due, why: "windows kept coming due while the run drained" });
      return;
    }
    p.logger.info("runRoundAgain", { round: round + 1, passesDue: due });
  }
}

const maxRounds = 10;

async function runRound(p: Pipeline, options: RunOptions): Promise<void> {
  const depth = p.queue.depth;
  if (options.untilIdle && !depth) throw new Error("--until-idle needs a queue that reports its depth (the embedded queue)");
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  const done = { scheduler: !options.roles.includes("scheduler"), fetcher: !options.roles.includes("fetcher") };
  const drained = (queue: string) => isDrained(p.queue, queue);
  // Both window lanes: the fetcher is idle only once the backfill lane is drained too.
  const windowsDrained = async () => (await drained(queueNames.windows)) && (await drained(queueNames.windowsBackfill));
  const untilIdle = options.untilIdle;
  const jobs: Promise<void>[] = [];
  if (options.roles.includes("scheduler")) {
    const schedulerStop = new AbortController();
    const onTick = (remaining: number) => {
      if (!untilIdle || remaining > 0) return;
      done.scheduler = true;
      schedulerStop.abort();
    };
    jobs.push(runScheduler(p, AbortSignal.any([signal, schedulerStop.signal]), onTick));
  }
  if (options.roles.includes("fetcher")) {
    const fetcherIdle = async () => untilIdle && done.scheduler && (await windowsDrained());
    jobs.push(
      runFetcher(p, { signal, concurrency: options.fetchConcurrency, stopWhenIdle: fetcherIdle }).then(() => {
        done.fetcher = true;
      }),
    );
  }
  if (options.roles.includes("sink")) {
    const sinkIdle = async () =>
      untilIdle && done.scheduler && done.fetcher && (await windowsDrained()) && (await drained(queueNames.rows));
    jobs.push(runSink(p, { signal, stopWhenIdle: sinkIdle }));
  }
  // One role failing stops the others (their in-flight batches finish and are settled) before
  // the error is reported: no role is left running unobserved.
  const stopOthers = (error: unknown) => {
    stop.abort();
    throw error;
  };
  const faults = untilIdle ? watchConfigFaults(p, stop) : undefined;
  const files = watchDataFiles(p.dataFiles, stop);
  const results = await Promise.allSettled(jobs.map((job) => job.catch(stopOthers)));
  stop.abort();
  faults?.stop();
  files.stop();
  if (files.seen) throw files.seen;
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  if (faults?.seen) throw faults.seen;
}

/**
 * With `--until-idle`, a configuration fault (401/403/404 from Graph or Logs Ingestion) ends the
 * run: the roles wait such faults out without spending attempts, so the queues would never drain
 * and a cron job would hang. The roles stop gracefully (what they hold is settled or released) and
 * the run fails with exit 3; the windows and rows stay on their queues for the next run.
 */
function watchConfigFaults(p: Pipeline, stop: AbortController): { seen: ConfigError | undefined; stop(): void } {
  const watch = {
    seen: undefined as ConfigError | undefined,
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    const where = [
      p.metrics.get("windowConfigFault") > 0 && "the fetcher's hunting calls (tenantConfigFault)",
      p.metrics.get("ingestionConfigFault") > 0 && "the sink's uploads (ingestionConfigFault)",
    ].filter(Boolean);
    if (where.length === 0 || watch.seen) return;
    watch.seen = new ConfigError(
      `--until-idle stopped on a configuration fault in ${where.join(" and ")}: the error logged above says what to fix. ` +
        "Nothing was lost: windows and rows stay on their queues for the next run",
    );
    stop.abort();
  }, configFaultCheckMs);
  timer.unref();
  return watch;
}

const configFaultCheckMs = 250;

/**
 * Nothing receivable or locked, and nothing scheduled but re-sweep passes (listed only when
 * nothing else is left, so a busy queue is not read through on every empty receive).
 */
async function isDrained(queue: OpenedQueue, name: string): Promise<boolean> {
  const d = queue.depth?.(name);
  if (d === undefined || d.active + d.locked > 0) return false;
  if (d.scheduled === 0) return true;
  if (!queue.peek) return false;
  for await (const page of peekPages(queue.peek, name, { pageSize: 1_000 })) {
    if (!page.every(isResweepPass)) return false;
  }
  return true;
}
