import type { ReceivedMessage } from "@xdr-relay/core";

/**
 * A `queue_messages` row as SQLite returns it in raw mode, columns in `messageColumns` order. Raw:
 * an array per row costs libsql far less to build than an object with named properties, and a
 * receive builds thousands of them.
 */
export type MessageRow = readonly [
  seq: number,
  messageId: string,
  body: string,
  enqueuedAt: number,
  availableAt: number,
  deliveryCount: number,
  lockToken: string | null,
  deadLetterReason: string | null,
  deadLetterDescription: string | null,
];

/**
 * Columns to select from `queue_messages` (with the statement in raw mode) for `toReceivedMessage`.
 * The body, kept in its own table, comes by a correlated subquery, which an `UPDATE … RETURNING`
 * allows where it allows no join.
 */
export const messageColumns =
  "seq, message_id, (SELECT body FROM queue_bodies WHERE queue_bodies.seq = queue_messages.seq), " +
  "enqueued_at, available_at, delivery_count, lock_token, dead_letter_reason, dead_letter_description";

/** What the embedded receiver hands out: the port's message plus the token that proves the lock. */
export interface EmbeddedReceivedMessage extends ReceivedMessage {
  readonly lockToken: string | undefined;
}

export function toReceivedMessage(row: MessageRow, locked: boolean): EmbeddedReceivedMessage {
  const [seq, messageId, body, enqueuedAt, availableAt, deliveryCount, lockToken, reason, description] = row;
  return {
    messageId,
    body: parseBody(body),
    deliveryCount,
    sequenceNumber: seq,
    enqueuedTimeUtc: new Date(enqueuedAt),
    lockedUntilUtc: locked ? new Date(availableAt) : undefined,
    lockToken: locked ? (lockToken ?? undefined) : undefined,
    deadLetterReason: reason ?? undefined,
    deadLetterErrorDescription: description ?? undefined,
  };
}

/**
 * Bodies are stored as JSON text, but the file may have been written by other code. A body that
 * does not parse is delivered as the raw string, so the consumer can dead-letter it as
 * `MalformedMessage` instead of the receiver crashing on it forever.
 */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function lockTokenOf(message: ReceivedMessage): string {
  const token = (message as Partial<EmbeddedReceivedMessage>).lockToken;
  if (typeof token !== "string") {
    throw new TypeError(`message ${message.messageId} was not received in peek-lock mode by an embedded receiver`);
  }
  return token;
}
