import { describeError, queueNames } from "@xdr-relay/core";
import { planTick, type ScheduleDeps } from "@xdr-relay/scheduler";
import { scheduleFreshness } from "../status/schedule-freshness.ts";
import type { Pipeline } from "../wiring/pipeline.ts";

export function scheduleDeps(p: Pipeline): ScheduleDeps {
  const s = p.config.schedule;
  return {
    store: p.store,
    // The live lane: the scheduler's passes are what must never wait behind a backfill.
    windows: p.queue.client.createSender(queueNames.windows),
    windowMs: s.windowMs,
    lagMs: s.lagMs,
    maxWindowsPerTick: s.maxWindowsPerTick,
    startAtMs: s.startAt ? Date.parse(s.startAt) : undefined,
    resweepOffsetsMs: s.resweepOffsetsMs,
    logger: p.logger,
    metrics: p.metrics,
  };
}

/**
 * One pass over every tenant's queries. A query whose tick fails (a busy or unreachable checkpoint
 * store) is logged and tried again next tick; it does not hold up the other tenants. Nothing is
 * skipped: its checkpoint did not move.
 */
export async function tickOnce(p: Pipeline, deps: ScheduleDeps): Promise<{ remaining: number; failed: number }> {
  let remaining = 0;
  let failed = 0;
  for (const tenant of p.config.tenants) {
    for (const query of tenant.queries) {
      try {
        remaining += (await planTick(deps, tenant.id, query, p.clock.now())).remaining;
      } catch (error) {
        failed++;
        p.metrics.increment("tickFailed");
        p.logger.error("tickFailed", { tenant: tenant.id, query, error: describeError(error) });
      }
    }
  }
  return { remaining, failed };
}

/**
 * The scheduler role: a tick every `tickMs`, at once again while catch-up windows remain.
 * `onTick` hears how many windows are still due (a failed tick counts as due), so `--until-idle`
 * can tell when to stop.
 */
export async function runScheduler(p: Pipeline, signal: AbortSignal, onTick?: (remaining: number) => void): Promise<void> {
  const deps = scheduleDeps(p);
  while (!signal.aborted) {
    const { remaining, failed } = await tickOnce(p, deps);
    onTick?.(remaining + failed);
    await p.clock.sleep(remaining > 0 && failed === 0 ? 0 : p.config.schedule.tickMs, signal);
  }
}

/** How many passes (a tenant's query, first pass or re-sweep) have a window due now that is not enqueued. */
export async function passesDueNow(p: Pipeline): Promise<number> {
  const nowMs = p.clock.now();
  const passes = await scheduleFreshness(p.config, p.store, nowMs);
  return passes.filter((pass) => pass.nextDueAtMs !== undefined && pass.nextDueAtMs <= nowMs).length;
}
