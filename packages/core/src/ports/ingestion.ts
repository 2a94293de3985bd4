/**
 * The Logs Ingestion API, in the shape of `@azure/monitor-ingestion`'s `LogsIngestionClient.upload`
 * so the real client satisfies it as is. Failed chunks are reported through `onError`, then the
 * call throws an `AggregateLogsUploadError`.
 */
export interface LogsUploadFailure {
  readonly failedLogs: Record<string, unknown>[];
  readonly cause: Error;
}

export interface LogsUploadOptions {
  readonly maxConcurrency?: number;
  readonly onError?: (failure: LogsUploadFailure) => void;
  readonly abortSignal?: AbortSignal;
}

export interface LogsIngestion {
  upload(ruleId: string, streamName: string, logs: Record<string, unknown>[], options?: LogsUploadOptions): Promise<void>;
}
