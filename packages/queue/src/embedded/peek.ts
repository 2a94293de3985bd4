import { type SqliteDatabase, statement } from "./database.ts";
import { type EmbeddedReceivedMessage, type MessageRow, messageColumns, toReceivedMessage } from "./message-row.ts";

/**
 * Reads messages without locking them or counting a delivery (Service Bus's `peekMessages`):
 * the safe way to list a dead-letter queue. Includes locked and scheduled messages.
 */
export function peekRows(
  db: SqliteDatabase,
  entity: string,
  options: { maxMessageCount: number; fromSequenceNumber: number },
): EmbeddedReceivedMessage[] {
  const rows = statement(db, `SELECT ${messageColumns} FROM queue_messages WHERE queue = ? AND seq >= ? ORDER BY seq LIMIT ?`)
    .raw(true)
    .all(entity, options.fromSequenceNumber, options.maxMessageCount) as MessageRow[];
  return rows.map((row) => toReceivedMessage(row, false));
}
