import { planPass, type ScheduleDeps, type TickResult } from "./plan-pass.ts";

export type { ScheduleDeps, TickResult } from "./plan-pass.ts";

/**
 * One scheduler tick for one tenant's query: each late-arrival re-sweep pass, then the first pass
 * (see `planPass`). Re-sweeps go first so that, on their first tick, they pin where the first pass
 * starts before it moves (see `passStart`). Each pass is bounded by `maxWindowsPerTick` on its own.
 */
export async function planTick(deps: ScheduleDeps, tenant: string, query: string, nowMs: number): Promise<TickResult> {
  const offsets = deps.resweepOffsetsMs ?? [];
  const passes = [...offsets.map((offsetMs, i) => ({ sweep: i + 1, offsetMs })), { sweep: 0, offsetMs: 0 }];
  let enqueued = 0;
  let remaining = 0;
  for (const { sweep, offsetMs } of passes) {
    const result = await planPass(deps, { tenant, query, nowMs, sweep, offsetMs });
    enqueued += result.enqueued;
    remaining += result.remaining;
  }
  return { enqueued, remaining };
}
