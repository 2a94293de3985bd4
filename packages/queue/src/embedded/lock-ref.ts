import { MessageLockLostError } from "../errors.ts";

/** Identifies a held lock: the message, the token of the delivery, and the current time. */
export interface LockRef {
  readonly entity: string;
  readonly seq: number;
  readonly messageId: string;
  readonly lockToken: string;
  readonly now: number;
}

/** The error for a settlement whose lock expired, was never held, or was already settled. */
export function lockLost(ref: LockRef): MessageLockLostError {
  return new MessageLockLostError(
    `the lock on message ${ref.messageId} (sequence ${ref.seq}) in ${ref.entity} expired or was already settled`,
  );
}
