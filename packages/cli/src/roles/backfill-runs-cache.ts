import { type CheckpointStore, describeError, type Logger } from "@xdr-relay/core";
import { type BackfillRun, readBackfillRuns, runOfWindow } from "@xdr-relay/scheduler";

/** How stale the list of backfills may be before a backfill window makes it read again. */
const runsMaxAgeMs = 10_000;
/** A window of a backfill not in the list makes it read the list again, at most this often. */
const runsRereadMinMs = 2_000;

/**
 * The fetcher's view of the recorded backfills, to tell which one a window belongs to: read from
 * the checkpoint store when a window of an unknown backfill arrives (at most every 2 s), and
 * refreshed in the background once 10 s old, so a cancel reaches the fetchers within seconds. A
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
    let run = runOfWindow(this.runs, message.body, at);
    // A window of a backfill started since the last read: read the list again (at most every 2 s).
    if (!run && this.now() - this.runsReadAtMs > runsRereadMinMs) {
      await this.read();
      run = runOfWindow(this.runs, message.body, at);
    } else if (run && this.now() - this.runsReadAtMs > runsMaxAgeMs) {
      void this.read();
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
