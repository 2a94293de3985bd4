import { describeError } from "../errors.ts";
import type { QueueReceiver, ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";
import { type RenewVerdict, renewVerdict } from "./renew-verdict.ts";

export interface LockKeeperOptions {
  readonly queueName: string;
  readonly receiver: QueueReceiver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** How often held locks are looked at at most; short locks are looked at 4 times per lock. Default 1 s. */
  readonly checkEveryMs?: number;
}

interface Held {
  readonly message: ReceivedMessage;
  /** The lock's full length, as first received: renewed once less than half of it is left. */
  readonly lockMs: number;
  renewing: boolean;
  /** Renewals failed in a row since the last one that succeeded. */
  failures: number;
  /** No renewal before this instant (clock ms): the backoff after a failed one. */
  notBeforeMs: number;
  /** Its outcome is being settled: a renewal that fails now most likely met the settlement. */
  settling: boolean;
}

/**
 * Keeps the locks of messages a stage is still working on. A window's hunting call may run for
 * minutes (the service allows up to 3) and an upload may wait out retries, while a lock lasts
 * 60 s by default: without renewal the queue would hand the message to another receiver mid-work
 * and, after `maxDeliveryCount` such losses, dead-letter it for no fault of its own. A lock is
 * renewed once less than half of it is left. A renewal that fails is retried after a short
 * backoff (`renewVerdict`), at most one at a time per message and one per check, while the lock
 * has time left; the keeper gives up only when the queue says the lock is lost or the lock has
 * expired. Then the message comes back to some receiver and its outcome here cannot be settled:
 * no loss, but its work may be done twice.
 */
export class LockKeeper {
  private readonly held = new Map<ReceivedMessage, Held>();
  private readonly renewals = new Set<Promise<void>>();
  private readonly stopped = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: LockKeeperOptions) {}

  hold(message: ReceivedMessage): void {
    const lockedUntil = message.lockedUntilUtc?.getTime();
    if (lockedUntil === undefined) return; // A receive mode without locks: nothing to keep.
    const lockMs = Math.max(0, lockedUntil - this.options.clock.now());
    this.held.set(message, { message, lockMs, renewing: false, failures: 0, notBeforeMs: 0, settling: false });
    this.running ??= this.run();
  }

  /**
   * Runs `settle`, `message`'s settlement, keeping its lock until it ends, then stops keeping it. A
   * settlement retried through a busy or failing queue must not outlive the lock, or the message
   * comes back and its rows are uploaded twice. A renewal that fails meanwhile is not reported:
   * it most likely found the message settled.
   */
  async keepWhileSettling(message: ReceivedMessage, settle: () => Promise<void>): Promise<void> {
    const held = this.held.get(message);
    if (held) held.settling = true;
    try {
      await settle();
    } finally {
      this.release(message);
    }
  }

  /** Stops keeping `message`'s lock: its outcome is known and it will not be settled here. */
  release(message: ReceivedMessage): void {
    this.held.delete(message);
  }

  get size(): number {
    return this.held.size;
  }

  /** Stops renewing; resolves once no renewal is in flight (none is retried after this). */
  async close(): Promise<void> {
    this.stopped.abort();
    await this.running;
    await Promise.all(this.renewals);
  }

  private async run(): Promise<void> {
    const { clock } = this.options;
    while (!this.stopped.signal.aborted) {
      await clock.sleep(this.checkEveryMs(), this.stopped.signal);
      if (this.stopped.signal.aborted) return;
      const now = clock.now();
      for (const held of this.held.values()) {
        if (held.renewing || now < held.notBeforeMs || leftMs(held, now) >= held.lockMs / 2) continue;
        const renewal = this.renew(held).finally(() => this.renewals.delete(renewal));
        this.renewals.add(renewal);
      }
    }
  }

  private checkEveryMs(): number {
    let ms = this.options.checkEveryMs ?? 1_000;
    for (const held of this.held.values()) ms = Math.min(ms, Math.max(10, held.lockMs / 4));
    return ms;
  }

  private async renew(held: Held): Promise<void> {
    const { receiver, metrics, queueName } = this.options;
    held.renewing = true;
    try {
      await receiver.renewMessageLock(held.message);
      metrics.increment(`${queueName}LockRenewed`);
      held.failures = 0;
    } catch (error) {
      // Settled meanwhile (released or settling) or shutting down: nothing to say, nothing to retry.
      if (!this.held.has(held.message) || held.settling || this.stopped.signal.aborted) return;
      held.failures++;
      const now = this.options.clock.now();
      this.failed(held, error, renewVerdict({ error, failures: held.failures, lockMs: held.lockMs, leftMs: leftMs(held, now) }));
    } finally {
      held.renewing = false;
    }
  }

  /** A failed renewal: one attempt failing (`lockRenewRetried`) and giving up (`lockRenewFailed`) are different events. */
  private failed(held: Held, error: unknown, verdict: RenewVerdict): void {
    const { logger, metrics, queueName, clock } = this.options;
    const fields = { queue: queueName, messageId: held.message.messageId, failures: held.failures, error: describeError(error) };
    if (verdict.kind === "retry") {
      held.notBeforeMs = clock.now() + verdict.delayMs;
      logger.warn("lockRenewRetried", { ...fields, delayMs: verdict.delayMs });
      metrics.increment("lockRenewRetried");
      return;
    }
    this.held.delete(held.message);
    logger.warn("lockRenewFailed", { ...fields, reason: verdict.reason });
    metrics.increment("lockRenewFailed");
  }
}

function leftMs(held: Held, now: number): number {
  return (held.message.lockedUntilUtc?.getTime() ?? Number.POSITIVE_INFINITY) - now;
}
