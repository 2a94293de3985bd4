import { type CounterMetrics, flushDeadLetterNotices, queueNames, type RelayConfig } from "@xdr-relay/core";
import { fmt } from "../backfill/format.ts";
import { noTenantsNeeded, queueOnlyDefaults } from "../config/queue-only-defaults.ts";
import { deadLettered, deadLettersHeld, Heartbeat } from "../roles/heartbeat.ts";
import { allRoles, type Role, runRoles } from "../roles/run-roles.ts";
import { jsonLogger, type LogLevel } from "../wiring/logger.ts";
import type { QueueDepth } from "../wiring/open-queue.ts";
import { buildPipeline } from "../wiring/pipeline.ts";
import { parseStatsEvery } from "./stats-every.ts";
import { UsageError } from "./usage-error.ts";

export async function runCommand(
  config: RelayConfig,
  options: {
    role?: string | undefined;
    untilIdle: boolean;
    logLevel: LogLevel;
    signal: AbortSignal;
    /** Seconds between progress lines on stdout (`--stats-every`); 0: none. Default 60. */
    statsEverySeconds?: string | undefined;
  },
): Promise<number> {
  const roles = parseRoles(options.role);
  const statsEveryMs = parseStatsEvery(options.statsEverySeconds);
  const pipeline = buildPipeline(config, jsonLogger(options.logLevel));
  const heartbeat = new Heartbeat({
    metrics: pipeline.metrics,
    queues: Object.values(queueNames),
    depth: pipeline.queue.depth,
    now: () => pipeline.clock.now(),
  }).start(statsEveryMs, (line) => console.log(line));
  let interrupted = false;
  let held: string | undefined;
  let started = false;
  let failure: { error: unknown } | undefined;
  try {
    await pipeline.ready();
    started = true;
    await runRoles(pipeline, { roles, untilIdle: options.untilIdle, fetchConcurrency: 4, signal: options.signal });
    // Read before closing: a signal that comes while the queue closes after a drain changes nothing.
    interrupted = options.signal.aborted;
  } catch (error) {
    failure = { error };
  } finally {
    if (started) held = deadLettersAtEnd(pipeline.queue.depth);
    flushDeadLetterNotices(pipeline.logger);
    heartbeat.stop();
    await pipeline.close();
  }
  // Also when the roles stopped on a fault (exit 3): what they did before it is still news.
  if (started) printSummary(pipeline.metrics, held);
  if (failure !== undefined) throw failure.error;
  // A relay stopped by its supervisor did what was asked; a `--until-idle` run stopped before it
  // was idle did not, and a script must not read it as done (it stops, like `backfill`, with 130).
  if (!options.untilIdle) return 0;
  if (interrupted) return 130;
  return untilIdleEnd(pipeline.metrics);
}

/**
 * A `--until-idle` run that dead-lettered anything ends with 1, as `backfill --watch` does: a cron
 * job is often read only by its exit code, and a dead letter waits for someone to act on it. What
 * earlier runs left is `status --check`'s to report, so a run that added none ends with 0.
 */
function untilIdleEnd(m: CounterMetrics): number {
  const count = deadLettered(m);
  if (count === 0) return 0;
  const what = `${fmt(count)} message${count === 1 ? "" : "s"}`;
  console.error(`xdr-relay: this run dead-lettered ${what} (exit 1): \`xdr-relay dlq list\` shows why and what to do`);
  return 1;
}

function printSummary(m: CounterMetrics, held: string | undefined): void {
  console.log(
    `windows=${m.get("windowsFetched")} rowsSent=${m.get("rowsSent")} rowsIngested=${m.get("rowsIngested")} deadLettered=${deadLettered(m)}`,
  );
  // `deadLettered=` counts what this run's roles dead-lettered; the queue may hold more (moved there
  // by the queue itself, or left by earlier runs), and a cron job's log is where someone sees it.
  if (held !== undefined) console.log(`dead-letter queues hold: ${held} (see: xdr-relay dlq list)`);
}

/**
 * The settings the chosen roles do without, laid under the config (`loadConfig`'s `defaults`): a
 * fetcher or scheduler host needs no sink endpoint or rule, a sink host no tenants (a row message
 * names its own stream). Scaling fetch and sink apart then needs only each role's own settings.
 * A bad `--role` is refused here, before the config is read.
 */
export function runDefaults(role: string | undefined): Record<string, unknown> {
  const roles = parseRoles(role);
  if (!roles.includes("sink")) return { ...queueOnlyDefaults };
  return roles.length === 1 ? { ...noTenantsNeeded } : {};
}

function parseRoles(role: string | undefined): Role[] {
  if (role === undefined || role === "all") return [...allRoles];
  const roles = role.split(",").map((r) => r.trim());
  for (const r of roles) {
    if (r === "all") throw new UsageError(`--role all stands alone: it is every role; got "${role}"`);
    if (!(allRoles as readonly string[]).includes(r))
      throw new UsageError(
        `--role takes ${allRoles.join(", ")} or a comma-separated list of them (fetcher,sink), or all; got "${r}"`,
      );
  }
  return roles as Role[];
}

/** What the dead-letter queues hold when the run ends; a failed read says nothing rather than fail the run. */
function deadLettersAtEnd(depth: ((queueName: string) => QueueDepth) | undefined): string | undefined {
  try {
    return deadLettersHeld(Object.values(queueNames).map((q) => [q, depth?.(q)] as const));
  } catch {
    return undefined;
  }
}
