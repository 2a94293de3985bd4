import { type OutgoingMessage, PermanentError } from "@xdr-relay/core";

/** A message checked and serialised before any write, so a bad one fails the batch up front. */
export interface EncodedMessage {
  readonly messageId: string;
  readonly bodyText: string;
  readonly scheduledAtMs: number | undefined;
}

/** Service Bus's own limit on `messageId`. */
const maxMessageIdLength = 128;

export function encodeOutgoing(message: OutgoingMessage, maxMessageBytes: number): EncodedMessage {
  const { messageId, body, scheduledEnqueueTimeUtc } = message;
  if (typeof messageId !== "string" || messageId.length === 0 || messageId.length > maxMessageIdLength) {
    throw new TypeError(`messageId must be 1 to ${maxMessageIdLength} characters, got ${JSON.stringify(messageId)}`);
  }
  const bodyText = JSON.stringify(body) as string | undefined;
  if (bodyText === undefined) throw new TypeError(`message ${messageId}: the body is not JSON-serialisable`);
  const bytes = Buffer.byteLength(bodyText) + Buffer.byteLength(messageId);
  if (bytes > maxMessageBytes) {
    throw new PermanentError(`message ${messageId} is ${bytes} bytes, over the queue's limit of ${maxMessageBytes}`);
  }
  const scheduledAtMs = scheduledEnqueueTimeUtc?.getTime();
  if (scheduledAtMs !== undefined && !Number.isFinite(scheduledAtMs)) {
    throw new TypeError(`message ${messageId}: scheduledEnqueueTimeUtc is not a valid date`);
  }
  return { messageId, bodyText, scheduledAtMs };
}
