import { alignDown, gridWindows } from "@xdr-relay/core";
import { type BackfillRun, runOfWindow } from "./backfill-runs.ts";

/** A message as the queue lists it without locking it (`peekMessages`). */
export interface PeekedWindow {
  readonly body: unknown;
  readonly enqueuedTimeUtc: Date;
}

export interface BackfillProgress {
  readonly total: number;
  /** Grid windows sent, with nothing of them left on the queue or its dead-letter queue. */
  readonly done: number;
  /**
   * Grid windows the backfill has not sent (yet, or ever: its process died mid-enqueue). Neither
   * done nor pending: nothing of them is on a queue. 0 once the enqueue is complete.
   */
  readonly unsent: number;
  /** Grid windows with a message (or a split half, or a retry copy) still on the windows queue. */
  readonly pending: number;
  /** Grid windows with nothing pending and a part dead-lettered: `dlq replay` sends them back. */
  readonly deadLettered: number;
  /** Pending grid windows per tenant: each tenant spends its own budget, the slowest sets the ETA. */
  readonly pendingByTenant: ReadonlyMap<string, number>;
  /** Done grid windows per tenant: each took a call of that tenant's budget since the run started. */
  readonly doneByTenant: ReadonlyMap<string, number>;
}

/**
 * How far a backfill got, read off the queue rather than counted by the fetchers, so it is right
 * whichever process fetched, whether one crashed, and however often a window was retried or split:
 * a grid window is done once it was sent and no part of it is left on the window queues or their
 * dead-letter queues. (Completed messages leave the queue; locked and scheduled ones stay on it.)
 * `queued` and `deadLettered` hold both lanes' messages: a backfill window an older version put
 * on the live queue still counts.
 */
export function backfillProgress(
  run: BackfillRun,
  runs: readonly BackfillRun[],
  queued: readonly PeekedWindow[],
  deadLettered: readonly PeekedWindow[],
): BackfillProgress {
  const gridKeys = (messages: readonly PeekedWindow[]) => {
    const keys = new Map<string, string>();
    for (const m of messages) {
      if (runOfWindow(runs, m.body, m.enqueuedTimeUtc.getTime())?.id !== run.id) continue;
      const w = m.body as { tenant: string; query: string; start: string };
      // A split half lies inside one grid window: the one its start falls in.
      keys.set(`${w.tenant}|${w.query}|${alignDown(Date.parse(w.start), run.windowMs)}`, w.tenant);
    }
    return keys;
  };
  const pendingKeys = gridKeys(queued);
  const deadKeys = [...gridKeys(deadLettered)].filter(([k]) => !pendingKeys.has(k));
  const pendingByTenant = countByTenant(pendingKeys.values());
  const seen = pendingKeys.size + deadKeys.length;
  // Counted after each send, the record may lag a send that went through: what is seen was sent.
  const enqueue = run.enqueue;
  const sent = enqueue === undefined || enqueue.complete ? run.windows : Math.min(run.windows, Math.max(enqueue.sent, seen));
  return {
    total: run.windows,
    done: Math.max(0, sent - seen),
    unsent: run.windows - sent,
    pending: pendingKeys.size,
    deadLettered: deadKeys.length,
    pendingByTenant,
    doneByTenant: doneByTenant(run, sent, pendingByTenant, countByTenant(deadKeys.map(([, tenant]) => tenant))),
  };
}

function countByTenant(tenants: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tenant of tenants) counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
  return counts;
}

/**
 * Each tenant's windows sent, less those pending or dead-lettered. The enqueue goes tenant by
 * tenant in the run's order, so while it is partial the windows sent are the first tenants'.
 */
function doneByTenant(
  run: BackfillRun,
  sent: number,
  pending: ReadonlyMap<string, number>,
  dead: ReadonlyMap<string, number>,
): Map<string, number> {
  // As the enqueue counts them: the grid's windows over the range, its ends aligned outwards.
  const perQuery = gridWindows(run.fromMs, run.toMs, run.windowMs).length;
  const done = new Map<string, number>();
  let left = sent;
  for (const t of run.tenants) {
    const sentOfTenant = Math.min(left, t.queries.length * perQuery);
    left -= sentOfTenant;
    done.set(t.id, Math.max(0, sentOfTenant - (pending.get(t.id) ?? 0) - (dead.get(t.id) ?? 0)));
  }
  return done;
}
