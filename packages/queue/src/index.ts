export { BlobCheckpointStore } from "./blob/blob-checkpoint-store.ts";
export { EmbeddedQueueClient } from "./embedded/client.ts";
export type { OlderLayout } from "./embedded/file-version.ts";
export type { EmbeddedReceivedMessage } from "./embedded/message-row.ts";
export type { EmbeddedQueueOptions, QueueMovedLetter } from "./embedded/options.ts";
export { SqliteCheckpointStore, type SqliteCheckpointStoreOptions } from "./embedded/sqlite-checkpoint-store.ts";
export type { QueueStats } from "./embedded/stats.ts";
export { isMessageLockLostError, MessageLockLostError } from "./errors.ts";
export { type ReplayOptions, type ReplayResult, replayDeadLetters } from "./replay.ts";
