import type { Logger, Metrics } from "@xdr-relay/core";
import type { ConfigFaultPause } from "./config-fault-pause.ts";
import type { SchemaGuard } from "./schema-drift.ts";
import type { StreamRejections } from "./stream-rejections.ts";
import type { UploadTarget } from "./upload-batch.ts";

/** What the sink's handlers need: the upload target, the batch limits and the runtime. */
export interface SinkDeps extends UploadTarget {
  readonly batchMaxRows: number;
  readonly batchMaxBytes: number;
  readonly maxAttempts: number;
  readonly maxConcurrency: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Checks records against the configured stream declarations; absent: nothing is checked. */
  readonly schemaGuard?: SchemaGuard;
  /** Told of 401/403/404 and of accepted uploads, so the host can pause receiving meanwhile. */
  readonly configFault?: ConfigFaultPause;
  /** Counts rows rejected one by one per stream, to stop bisecting a stream the rule refuses whole. */
  readonly rejections?: StreamRejections;
}
