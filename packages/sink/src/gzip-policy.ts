import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { LogsIngestionClient } from "@azure/monitor-ingestion";

const gzipAsync = promisify(gzip);

type PipelinePolicy = Parameters<LogsIngestionClient["pipeline"]["addPolicy"]>[0];

/** The policy `@azure/monitor-ingestion` adds to gzip each call's body, at zlib's default level 6. */
export const sdkGzipPolicyName = "GzippingPolicy";

/**
 * Gzips each call's body at level 1 instead. Measured on bench rows (AlertEvidence JSON): level 6
 * takes ~3.5× the CPU of level 1 for a body ~20 % smaller. The service's 1 MB limit binds on the
 * uncompressed JSON (which the sink cuts, ~10:1 here), so the larger body costs nothing but a few
 * bytes on the wire, while gzip was the sink's largest CPU cost after the queue and JSON.
 */
export const fastGzipPolicy: PipelinePolicy = {
  name: "xdrRelayFastGzipPolicy",
  async sendRequest(request, next) {
    if (request.body) request.body = await gzipAsync(request.body as string | Buffer, { level: 1 });
    return next(request);
  },
};
