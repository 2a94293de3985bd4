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

/**
 * Whether a window is to be dropped unfetched: it belongs to a cancelled backfill and names that
 * backfill itself (`QueryWindow.run`). A window from before windows named their run is matched to
 * a backfill by range only, a guess where backfills overlap, so it is never dropped.
 */
export function cancelledWindow(run: BackfillRun | undefined, body: unknown): run is BackfillRun {
  return run?.cancelledAtMs !== undefined && (body as { run?: unknown } | null)?.run === run.id;
}
