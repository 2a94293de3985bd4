import type { Logger, Metrics } from "@xdr-relay/core";

/**
 * Rows of each stream the service rejected one by one (400) since the stream's last accepted upload.
 *
 * Bisecting a rejected batch down to its rejected rows costs 2n − 1 calls when every row is
 * rejected: what a stream the rule refuses as a whole looks like (not declared in it, or a
 * transform that fails on every row). A backlog of a million such rows would be a few million
 * calls against the rule's 12,000 a minute, shared with the healthy streams. Past `threshold`
 * rows in a row, `deliver` stops looking for the rejected rows of that stream: a rejected batch
 * is split once, one row of each rejected half is tried alone, and the rest is dead-lettered
 * whole (5 calls a batch; see `probeHalves`). The first accepted upload of the stream (a half or
 * a row with nothing wrong with it, or the rule fixed) ends that.
 */
export class StreamRejections {
  private readonly streaks = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** Rows rejected one after another, none accepted between, before a stream is taken as refused. */
    readonly threshold = 20,
  ) {}

  /** True once `threshold` rows of the stream were rejected with none accepted since. */
  refusesEveryRow(stream: string): boolean {
    return (this.streaks.get(stream) ?? 0) >= this.threshold;
  }

  rejected(stream: string, rows: number, why: string): void {
    const before = this.streaks.get(stream) ?? 0;
    this.streaks.set(stream, before + rows);
    if (before < this.threshold && before + rows >= this.threshold) {
      this.metrics.increment("streamRefused");
      this.logger.error("streamRejectsEveryRow", {
        stream,
        rows: before + rows,
        why,
        fix:
          `the rule rejected the last ${before + rows} rows of ${stream} one by one: declare the stream in the rule's ` +
          "streamDeclarations with the columns `xdr-relay schema` prints, and check its transformKql; until an upload of " +
          "it is accepted, its rejected batches are dead-lettered whole (`xdr-relay dlq replay --queue rows` once fixed)",
      });
    }
  }

  accepted(stream: string): void {
    if (this.refusesEveryRow(stream)) this.logger.info("streamAcceptedAgain", { stream });
    this.streaks.delete(stream);
  }
}
