export * from "./batches.ts";
export * from "./column-names.ts";
export * from "./ingestion-client.ts";
export * from "./record.ts";
export * from "./row-batch-handler.ts";
export * from "./stream-declaration.ts";
export * from "./upload-batch.ts";
export * from "./upload-verdict.ts";
