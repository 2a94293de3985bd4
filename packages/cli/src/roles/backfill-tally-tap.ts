import {
  type CheckpointStore,
  describeError,
  isThrottledError,
  type Logger,
  type QueueSender,
  type WindowLane,
} from "@xdr-relay/core";
import type { FetchDeps } from "@xdr-relay/fetcher";
import { addTallies, addToBackfillTally, type BackfillRun, type BackfillTally, emptyTally } from "@xdr-relay/scheduler";

/** How often counts are added to the store: one compare-and-swap per run per interval, not per call. */
export const tallyFlushEveryMs = 2_000;

/**
 * Counts what fetching each backfill costs (hunting calls, 429s, budget deferrals, splits, rows
 * sent) for `backfill status`, which may run in another process. It only wraps the ports handed to
 * the fetcher, so the fetcher itself knows nothing of it; and it never fails a window: a store
 * that cannot be read or written costs the statistics, not the fetch.
 */
export class BackfillTallyTap {
  private counts = new Map<string, BackfillTally>();
  private timer: NodeJS.Timeout | undefined;
  /** Flushes run one after another, so the last one (on stop) comes after any in flight. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: CheckpointStore,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), tallyFlushEveryMs);
    this.timer.unref();
  }

  /** Stops the timer and adds what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /**
   * The fetcher's ports for one window: counting ones for the backfill it belongs to (the fetcher
   * looks that up once per window, `BackfillRunsCache.runOf`), else `deps` itself.
   */
  depsFor(deps: FetchDeps, run: BackfillRun | undefined): FetchDeps {
    if (!run) return deps;
    const add = (field: keyof BackfillTally, n = 1) => this.add(run.id, field, n);
    const budget = deps.callBudget;
    return {
      ...deps,
      hunting: {
        runHuntingQuery: async (request) => {
          add("calls");
          try {
            return await deps.hunting.runHuntingQuery(request);
          } catch (error) {
            if (isThrottledError(error)) add("throttled");
            throw error;
          }
        },
      },
      ...(budget && {
        callBudget: {
          tryAcquire: (tenant: string, lane: WindowLane) => {
            const admission = budget.tryAcquire(tenant, lane);
            if (!admission.admitted) add("deferred");
            return admission;
          },
        },
      }),
      rows: counting(deps.rows, (n) => add("rowsSent", n)),
      // The fetcher sends on `windows` only the two halves of a split window (retries go through the host).
      windows: counting(deps.windows, () => add("splits")),
    };
  }

  /** A window of a cancelled backfill was dropped without a call. */
  countCancelled(runId: string): void {
    this.add(runId, "cancelled", 1);
  }

  private add(runId: string, field: keyof BackfillTally, n: number): void {
    const current = this.counts.get(runId) ?? emptyTally;
    this.counts.set(runId, { ...current, [field]: current[field] + n });
  }

  private flush(): Promise<void> {
    // A failed flush is logged, not left rejected: the next flush (and its timer) must still run.
    this.flushing = this.flushing
      .then(() => this.flushOnce())
      .catch((error: unknown) => this.logger.warn("backfillTallyFailed", { error: describeError(error) }));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const taken = this.counts;
    this.counts = new Map();
    for (const [runId, delta] of taken) {
      let added = false;
      try {
        added = await addToBackfillTally(this.store, runId, delta);
      } catch (error) {
        this.logger.warn("backfillTallyWriteFailed", { run: runId, error: describeError(error) });
      }
      // Kept for the next flush rather than lost.
      if (!added) this.counts.set(runId, addTallies(this.counts.get(runId) ?? emptyTally, delta));
    }
  }
}

function counting(sender: QueueSender, onSent: (messages: number) => void): QueueSender {
  return {
    sendMessages: async (messages) => {
      await sender.sendMessages(messages);
      onSent(messages.length);
    },
    close: () => sender.close(),
  };
}
