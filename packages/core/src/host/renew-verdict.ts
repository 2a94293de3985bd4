import { isLockLost } from "../errors.ts";
import { backoffMs } from "../logic/backoff.ts";

/** What to do after a lock renewal failed: try again after `delayMs`, or stop keeping the lock. */
export type RenewVerdict =
  | { readonly kind: "retry"; readonly delayMs: number }
  | { readonly kind: "giveUp"; readonly reason: "lockLost" | "lockExpired" };

export interface RenewFailure {
  readonly error: unknown;
  /** Renewals of this lock failed in a row, this one included (1 after the first). */
  readonly failures: number;
  /** The lock's full length, as first received. */
  readonly lockMs: number;
  /** What is left of the lock now (≤ 0: it has expired). */
  readonly leftMs: number;
}

/**
 * Retry a failed renewal while the lock still has time left, unless the queue said it is lost.
 * Anything else (a busy database, a dropped connection, a timeout) may pass, and giving up would
 * let the lock run out mid-work: the message would be redelivered and its rows uploaded twice.
 * The delay grows from 1/16 of the lock (jittered, at most a quarter of it) and never exceeds half
 * of what is left, so a few tries still fit before the lock runs out.
 */
export function renewVerdict(failure: RenewFailure, random: () => number = Math.random): RenewVerdict {
  if (isLockLost(failure.error)) return { kind: "giveUp", reason: "lockLost" };
  if (failure.leftMs <= 0) return { kind: "giveUp", reason: "lockExpired" };
  const backoff = backoffMs(failure.failures, { baseMs: failure.lockMs / 16, maxMs: failure.lockMs / 4 }, random);
  return { kind: "retry", delayMs: Math.min(backoff, Math.floor(failure.leftMs / 2)) };
}
