import type { RelayConfig } from "@xdr-relay/core";
import { checkBackfill, enqueueBackfill } from "@xdr-relay/scheduler";
import { jsonLogger, type LogLevel } from "../wiring/logger.ts";
import { openQueue } from "../wiring/open-queue.ts";
import { UsageError } from "./usage-error.ts";

function parseInstant(name: string, value: string | undefined): number {
  if (!value) throw new UsageError(`${name} is required, e.g. ${name} 2026-11-01T00:00:00Z`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${name} is not an ISO 8601 instant: "${value}"`);
  return ms;
}

/** Enqueues the windows of a past range for every configured tenant and query. */
export async function backfillCommand(
  config: RelayConfig,
  options: { from?: string | undefined; to?: string | undefined; logLevel: LogLevel },
): Promise<number> {
  const fromMs = parseInstant("--from", options.from);
  const toMs = parseInstant("--to", options.to);
  const nowMs = Date.now();
  const queue = openQueue(config);
  const logger = jsonLogger(options.logLevel);
  try {
    let total = 0;
    for (const tenant of config.tenants) {
      const request = { tenant: tenant.id, queries: tenant.queries, fromMs, toMs, windowMs: config.schedule.windowMs, nowMs };
      const problem = checkBackfill(request);
      if (problem) throw new UsageError(problem);
      total += await enqueueBackfill({
        request,
        windows: queue.client.createSender("windows"),
        logger,
        onProgress: (sent, all) => process.stderr.write(`\r${tenant.id}: ${sent}/${all} windows enqueued`),
      });
      process.stderr.write("\n");
    }
    console.log(
      `backfill enqueued ${total} windows from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}; run \`xdr-relay run\` to fetch them`,
    );
    return 0;
  } finally {
    await queue.client.close();
  }
}
