/**
 * Runs upload jobs first in, first out, at most `limit` at once (`ingestion.maxConcurrency`).
 * A job must not reject: it reports its rows' outcomes itself.
 */
export class UploadLane {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];

  constructor(private readonly limit: number) {}

  /** Jobs queued or running. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  run(job: () => Promise<void>): void {
    this.waiting.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      const job = this.waiting.shift() as () => Promise<void>;
      this.running++;
      const done = () => {
        this.running--;
        this.pump();
      };
      void job().then(done, done);
    }
  }
}
