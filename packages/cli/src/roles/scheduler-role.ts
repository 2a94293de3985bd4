import { planTick, type ScheduleDeps } from "@xdr-relay/scheduler";
import type { Pipeline } from "../wiring/pipeline.ts";

export function scheduleDeps(p: Pipeline): ScheduleDeps {
  const s = p.config.schedule;
  return {
    store: p.store,
    windows: p.queue.client.createSender("windows"),
    windowMs: s.windowMs,
    lagMs: s.lagMs,
    maxWindowsPerTick: s.maxWindowsPerTick,
    startAtMs: s.startAt ? Date.parse(s.startAt) : undefined,
    resweepOffsetsMs: s.resweepOffsetsMs,
    logger: p.logger,
    metrics: p.metrics,
  };
}

/** One pass over every tenant's queries; resolves with the windows still due after it. */
export async function tickOnce(p: Pipeline, deps: ScheduleDeps): Promise<number> {
  let remaining = 0;
  for (const tenant of p.config.tenants) {
    for (const query of tenant.queries) {
      remaining += (await planTick(deps, tenant.id, query, p.clock.now())).remaining;
    }
  }
  return remaining;
}

/**
 * The scheduler role: a tick every `tickMs`, sooner while catch-up windows remain. `onIdle` is told
 * after each tick whether windows are still due, so `--until-idle` can tell when to stop.
 */
export async function runScheduler(p: Pipeline, signal: AbortSignal, onTick?: (remaining: number) => void): Promise<void> {
  const deps = scheduleDeps(p);
  while (!signal.aborted) {
    const remaining = await tickOnce(p, deps);
    onTick?.(remaining);
    await p.clock.sleep(remaining > 0 ? 0 : p.config.schedule.tickMs, signal);
  }
}
