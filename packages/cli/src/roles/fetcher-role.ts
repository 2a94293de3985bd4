import { callBudgetFor, consume, findQuery, type Outcome, queueNames, type ReceivedMessage } from "@xdr-relay/core";
import {
  type FetchDeps,
  handleWindow,
  laneSender,
  PriorityReceiver,
  TenantCallBudget,
  TenantFaultGate,
  tenantHunting,
} from "@xdr-relay/fetcher";
import { faultRecords } from "../wiring/fault-records.ts";
import type { Pipeline } from "../wiring/pipeline.ts";
import { BackfillRunsCache, cancelledWindow } from "./backfill-runs-cache.ts";
import { BackfillTallyTap } from "./backfill-tally-tap.ts";
import { slotPlan, TenantShare } from "./tenant-share.ts";

export function fetchDeps(p: Pipeline): FetchDeps {
  return {
    // Per tenant: Graph or the retiring legacy endpoint, each with the tenant's own credential.
    hunting: tenantHunting({ config: p.config, graph: p.hunting }),
    // Built once per role: every window of every tenant draws on the same per-tenant ledgers, each
    // held to its tenant's own budget (`tenants[].callsPerMinute`, else `hunting.callsPerMinute`).
    callBudget: new TenantCallBudget(
      (tenant) => callBudgetFor(p.config, tenant),
      () => p.clock.now(),
    ),
    // A tenant whose calls fail for a configuration fault: one probe a minute, its other windows wait.
    faultGate: new TenantFaultGate(p.logger, p.metrics, () => p.clock.now(), undefined, faultRecords(p)),
    rows: p.queue.client.createSender(queueNames.rows),
    // Halves of a split window, and (as the host's sender) retry copies: each back to its window's lane.
    windows: laneSender({
      live: p.queue.client.createSender(queueNames.windows),
      backfill: p.queue.client.createSender(queueNames.windowsBackfill),
    }),
    // A window may name a query a later config removed: the handler dead-letters it as BadQuery.
    queryFor: (name) => findQuery(p.config, name),
    // And a tenant a later config removed, as UnknownTenant (ids are not case-sensitive).
    tenantKnown: (tenant) => p.config.tenants.some((t) => t.id.toLowerCase() === tenant.toLowerCase()),
    rowCap: p.config.hunting.rowCap,
    maxAttempts: p.config.hunting.maxAttempts,
    minWindowMs: p.config.hunting.minWindowMs,
    maxMessageBytes: p.config.queue.maxMessageBytes,
    // One send is one transaction (embedded) or a few batches (Service Bus): bigger is cheaper per row.
    sendBatchSize: 5_000,
    logger: p.logger,
    metrics: p.metrics,
    // Windows older than Defender's 30 days are dead-lettered `WindowExpired`, not completed empty.
    now: () => p.clock.now(),
  };
}

/**
 * The fetcher role: windows in, rows out. Each slot receives and fetches one window at a time, on
 * its own: a slow window (a 100,000-row result, a call that hangs until the service's timeout)
 * holds only its slot, not a whole batch. With several tenants there are spare slots no one tenant
 * may take (`slotPlan`), so one tenant's hanging Graph cannot stall the others.
 *
 * Windows come in two lanes: each slot takes a live window (queue `windows`, which also holds any
 * window an older version put there, backfills included) whenever there is one, and a backfill
 * window (`windows-backfill`) only when there is none (`PriorityReceiver`). Retries, send-backs
 * and halves return to their window's lane (`laneSender`); dead letters to its queue's DLQ.
 */
export async function runFetcher(
  p: Pipeline,
  options: { signal: AbortSignal; concurrency: number; stopWhenIdle?: () => boolean | Promise<boolean> },
): Promise<void> {
  // A stop aborts the hunting calls in flight (their windows go back to the queue) instead of waiting for them.
  const deps = { ...fetchDeps(p), signal: options.signal };
  const runs = new BackfillRunsCache(p.store, p.logger);
  // Counts each backfill's calls and rows for `backfill status`, which may run in another process.
  const tally = new BackfillTallyTap(p.store, p.logger);
  const fetchOrDrop = async (m: ReceivedMessage): Promise<Outcome> => {
    const run = await runs.runOf(m);
    if (!cancelledWindow(run, m.body)) return share.within(m.body, () => handleWindow(tally.depsFor(deps, run), m.body));
    // `backfill cancel` called it off: completed without a call, as every copy of it will be.
    p.metrics.increment("windowsCancelled");
    tally.countCancelled(run.id);
    p.logger.info("windowCancelled", { run: run.id, window: m.body });
    return { kind: "completed" };
  };
  const plan = slotPlan(options.concurrency, p.config.tenants.length);
  const share = new TenantShare(plan.share, (tenant) => {
    p.metrics.increment("windowsDeferredForShare");
    p.logger.debug("windowDeferredForShare", { tenant });
  });
  const slot = () =>
    consume({
      queueName: queueNames.windows,
      receiver: new PriorityReceiver({
        preferred: p.queue.client.createReceiver(queueNames.windows),
        fallback: p.queue.client.createReceiver(queueNames.windowsBackfill),
        names: { preferred: queueNames.windows, fallback: queueNames.windowsBackfill },
      }),
      sender: deps.windows,
      handler: (messages) => Promise.all(messages.map(fetchOrDrop)),
      clock: p.clock,
      logger: p.logger,
      metrics: p.metrics,
      maxBatchSize: 1,
      maxWaitTimeInMs: 500,
      signal: options.signal,
      shouldStopWhenEmpty: options.stopWhenIdle,
    });
  tally.start();
  try {
    await Promise.all(Array.from({ length: plan.slots }, slot));
  } finally {
    await tally.stop();
  }
}
