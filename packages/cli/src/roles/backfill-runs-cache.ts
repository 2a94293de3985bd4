import { type CheckpointStore, describeError, type Logger } from "@xdr-relay/core";
import { type BackfillRun, readBackfillRuns, runOfWindow } from "@xdr-relay/scheduler";

/** How stale the list of backfills may be before a backfill window makes it read again. */
const runsMaxAgeMs = 10_000;
/** A window of a backfill not in the list makes it read the list again, at most this often. */
const runsRereadMinMs = 2_000;

/**
 * The fetcher's view of the recorded backfills, to tell which one a window belongs to: read from
 * the checkpoint store when a window of an unknown backfill arrives (at most every 2 s), and again
 * before a backfill window is answered once the list is 10 s old, so a cancel is seen within 10 s. A
 * store that cannot be read is logged and leaves the last list: it costs the statistics and the
 * cancel's reach, never a window.
 */
export class BackfillRunsCache {
  private runs: BackfillRun[] = [];
  private runsReadAtMs = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly store: CheckpointStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The backfill a window message belongs to, if any (see `runOfWindow`). */
  async runOf(message: { body: unknown; enqueuedTimeUtc: Date }): Promise<BackfillRun | undefined> {
    const origin = (message.body as { origin?: unknown } | null)?.origin;
    if (origin !== "backfill" && origin !== "split") return undefined;
    const at = message.enqueuedTimeUtc.getTime();
    const run = runOfWindow(this.runs, message.body, at);
    const ageMs = this.now() - this.runsReadAtMs;
    // A window of a backfill started since the last read (at most every 2 s), or a list old enough
    // to miss a cancel: read it again before answering, so a cancelled run's window is not fetched.
    if ((!run && ageMs > runsRereadMinMs) || (run && ageMs > runsMaxAgeMs)) {
      await this.read();
      return runOfWindow(this.runs, message.body, at);
    }
    return run;
  }

  /**
   * The cancelled backfill a window message belongs to, if it does: only a window that names its
   * run (`QueryWindow.run`) can be told apart for sure, so only such a window is ever dropped.
   */
  async cancelledRunOf(message: { body: unknown; enqueuedTimeUtc: Date }): Promise<BackfillRun | undefined> {
    const named = (message.body as { run?: unknown } | null)?.run;
    if (typeof named !== "string") return undefined;
    const run = await this.runOf(message);
    return run?.id === named && run.cancelledAtMs !== undefined ? run : undefined;
  }

  private read(): Promise<void> {
    this.reading ??= readBackfillRuns(this.store)
      .then((runs) => {
        this.runs = runs;
      })
      .catch((error: unknown) => this.logger.warn("backfillRunsReadFailed", { error: describeError(error) }))
      .finally(() => {
        this.runsReadAtMs = this.now();
        this.reading = undefined;
      });
    return this.reading;
  }
}
