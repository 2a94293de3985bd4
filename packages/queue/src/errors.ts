/**
 * Settling or renewing a message whose peek-lock has expired (or was never held). Mirrors Service
 * Bus, whose SDK throws `ServiceBusError` with code `MessageLockLost`: by then the message may
 * already be in another receiver's hands, so the caller must not assume its outcome was applied.
 */
export class MessageLockLostError extends Error {
  override readonly name = "MessageLockLostError";
  readonly code = "MessageLockLost";
}

/** True for our own error and for the Service Bus SDK's (one check, in core, for every package). */
export { isLockLost as isMessageLockLostError } from "@xdr-relay/core";
