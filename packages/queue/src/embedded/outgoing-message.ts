import { type OutgoingMessage, PermanentError } from "@xdr-relay/core";

/** A message whose id and schedule were checked before any write; its body is serialised later. */
export interface CheckedMessage {
  readonly messageId: string;
  readonly body: unknown;
  readonly scheduledAtMs: number | undefined;
}

/** A NUL, or a surrogate without its pair (`u` mode reads a pair as one code point). */
const unkeepable = /[\0\p{Cs}]/u;

/** Service Bus's own limit on `messageId`. */
const maxMessageIdLength = 128;

export function checkOutgoing(message: OutgoingMessage): CheckedMessage {
  const { messageId, body, scheduledEnqueueTimeUtc } = message;
  if (typeof messageId !== "string" || messageId.length === 0 || messageId.length > maxMessageIdLength) {
    throw new TypeError(`messageId must be 1 to ${maxMessageIdLength} characters, got ${JSON.stringify(messageId)}`);
  }
  // SQLite reads text back cut at a NUL and stores a lone surrogate as U+FFFD: such an id would
  // not match itself on the way back from the duplicate history, and the message would be dropped
  // as a duplicate of nothing (its send acknowledged).
  if (unkeepable.test(messageId)) {
    throw new TypeError(`messageId must be well-formed text without NUL characters, got ${JSON.stringify(messageId)}`);
  }
  const scheduledAtMs = scheduledEnqueueTimeUtc?.getTime();
  if (scheduledAtMs !== undefined && !Number.isFinite(scheduledAtMs)) {
    throw new TypeError(`message ${messageId}: scheduledEnqueueTimeUtc is not a valid date`);
  }
  return { messageId, body, scheduledAtMs };
}

/**
 * The body as stored, checked against the queue's size limit. Called inside the send's
 * transaction, just before the message's row is written, so a failure still writes nothing.
 */
export function bodyTextOf(message: CheckedMessage, maxMessageBytes: number): string {
  const { messageId } = message;
  const bodyText = JSON.stringify(message.body) as string | undefined;
  if (bodyText === undefined) throw new TypeError(`message ${messageId}: the body is not JSON-serialisable`);
  const bytes = Buffer.byteLength(bodyText) + Buffer.byteLength(messageId);
  if (bytes > maxMessageBytes) {
    throw new PermanentError(`message ${messageId} is ${bytes} bytes, over the queue's limit of ${maxMessageBytes}`);
  }
  return bodyText;
}
