import { describeError } from "../errors.ts";
import type { QueueReceiver, ReceivedMessage } from "../ports/queue.ts";
import type { Clock, Logger, Metrics } from "../ports/runtime.ts";

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
}

/**
 * Keeps the locks of messages a stage is still working on. A window's hunting call may run for
 * minutes (the service allows up to 3) and an upload may wait out retries, while a lock lasts
 * 60 s by default: without renewal the queue would hand the message to another receiver mid-work
 * and, after `maxDeliveryCount` such losses, dead-letter it for no fault of its own. A lock is
 * renewed once less than half of it is left; a renewal that fails is logged and not retried (the
 * lock is lost, so the message comes back and its outcome here cannot be settled: no loss).
 */
export class LockKeeper {
  private readonly held = new Map<ReceivedMessage, Held>();
  private readonly stopped = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: LockKeeperOptions) {}

  hold(message: ReceivedMessage): void {
    const lockedUntil = message.lockedUntilUtc?.getTime();
    if (lockedUntil === undefined) return; // A receive mode without locks: nothing to keep.
    this.held.set(message, { message, lockMs: Math.max(0, lockedUntil - this.options.clock.now()), renewing: false });
    this.running ??= this.run();
  }

  /** Stops keeping `message`'s lock: call it once its outcome is known, before settling. */
  release(message: ReceivedMessage): void {
    this.held.delete(message);
  }

  get size(): number {
    return this.held.size;
  }

  async close(): Promise<void> {
    this.stopped.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { clock } = this.options;
    while (!this.stopped.signal.aborted) {
      await clock.sleep(this.checkEveryMs(), this.stopped.signal);
      if (this.stopped.signal.aborted) return;
      const now = clock.now();
      for (const held of this.held.values()) {
        const left = (held.message.lockedUntilUtc?.getTime() ?? Number.POSITIVE_INFINITY) - now;
        if (!held.renewing && left < held.lockMs / 2) void this.renew(held);
      }
    }
  }

  private checkEveryMs(): number {
    let ms = this.options.checkEveryMs ?? 1_000;
    for (const held of this.held.values()) ms = Math.min(ms, Math.max(10, held.lockMs / 4));
    return ms;
  }

  private async renew(held: Held): Promise<void> {
    const { receiver, logger, metrics, queueName } = this.options;
    held.renewing = true;
    try {
      await receiver.renewMessageLock(held.message);
      metrics.increment(`${queueName}LockRenewed`);
      held.renewing = false;
    } catch (error) {
      // Settled meanwhile (released): nothing to say. Otherwise the lock is lost: stop trying.
      if (this.held.delete(held.message)) {
        logger.warn("lockRenewFailed", { queue: queueName, messageId: held.message.messageId, error: describeError(error) });
        metrics.increment("lockRenewFailed");
      }
    }
  }
}
