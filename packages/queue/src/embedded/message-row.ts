import type { ReceivedMessage } from "@xdr-relay/core";

/** A `queue_messages` row as SQLite returns it. */
export interface MessageRow {
  readonly seq: number;
  readonly message_id: string;
  readonly body: string;
  readonly enqueued_at: number;
  readonly available_at: number;
  readonly delivery_count: number;
  readonly lock_token: string | null;
  readonly dead_letter_reason: string | null;
  readonly dead_letter_description: string | null;
}

/** Columns to select for `toReceivedMessage`. */
export const messageColumns =
  "seq, message_id, body, enqueued_at, available_at, delivery_count, lock_token, dead_letter_reason, dead_letter_description";

/** What the embedded receiver hands out: the port's message plus the token that proves the lock. */
export interface EmbeddedReceivedMessage extends ReceivedMessage {
  readonly lockToken: string | undefined;
}

export function toReceivedMessage(row: MessageRow, locked: boolean): EmbeddedReceivedMessage {
  return {
    messageId: row.message_id,
    body: parseBody(row.body),
    deliveryCount: row.delivery_count,
    sequenceNumber: row.seq,
    enqueuedTimeUtc: new Date(row.enqueued_at),
    lockedUntilUtc: locked ? new Date(row.available_at) : undefined,
    lockToken: locked ? (row.lock_token ?? undefined) : undefined,
    deadLetterReason: row.dead_letter_reason ?? undefined,
    deadLetterErrorDescription: row.dead_letter_description ?? undefined,
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
