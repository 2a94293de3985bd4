import { type IngestionRejectWhen, poisonReason } from "./faults.ts";
import type { RequestBody } from "./request-body.ts";
import { apiVersionError, type UploadRoute } from "./route.ts";
import type { DataCollectionRule } from "./rules.ts";
import { accepted, serviceError, type UploadResponse } from "./service-error.ts";
import { shapeRows } from "./shape-rows.ts";
import { type IngestionStats, recordAccepted } from "./stats.ts";
import type { Workspace } from "./workspace.ts";

export interface IngestContext {
  readonly rules: ReadonlyMap<string, DataCollectionRule>;
  readonly workspace: Workspace;
  readonly stats: IngestionStats;
  readonly maxBodyBytes: number;
  readonly receivedAtMs: number;
  readonly rejectWhen: IngestionRejectWhen | undefined;
}

/**
 * One upload call, checked in the order the service reports problems, then landed. Every error
 * leaves the workspace untouched: the service takes a call whole or not at all.
 */
export async function ingestCall(ctx: IngestContext, route: UploadRoute, body: RequestBody): Promise<UploadResponse> {
  const versionError = apiVersionError(route.apiVersion);
  if (versionError !== undefined) return versionError;
  const rule = ctx.rules.get(route.ruleId);
  if (rule === undefined) {
    return serviceError(404, "NotFound", `Data collection rule with immutable Id '${route.ruleId}' not found.`);
  }
  const stream = rule.streams[route.streamName];
  if (stream === undefined) {
    // The real status for a stream the rule does not declare is *unconfirmed*; 404 like the rule.
    const message = `Invalid stream '${route.streamName}': the data collection rule '${route.ruleId}' declares no such stream.`;
    return serviceError(404, "InvalidStream", message);
  }
  const records = parseRecords(body, ctx.maxBodyBytes);
  if (!Array.isArray(records)) return records;
  const poisoned = poisonReason(records, ctx.rejectWhen);
  if (poisoned !== undefined) return serviceError(400, "InvalidRequestContent", poisoned);
  const shaped = shapeRows(records, stream, ctx.receivedAtMs);
  await ctx.workspace.append(stream.outputTable, shaped.rows);
  recordAccepted(ctx.stats, route.streamName, shaped);
  return accepted;
}

/** The body as records, or the error the service answers for it. */
function parseRecords(body: RequestBody, maxBodyBytes: number): Record<string, unknown>[] | UploadResponse {
  if (body.kind === "tooLarge") {
    return serviceError(413, "ContentLengthLimitExceeded", `Maximum allowed content length: ${maxBodyBytes} bytes (1 MB).`);
  }
  if (body.kind !== "read") {
    return serviceError(400, "InvalidContentEncoding", body.kind === "badEncoding" ? body.message : "Incomplete body.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (e) {
    return serviceError(400, "InvalidRequestContent", `The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    return serviceError(400, "InvalidRequestContent", "The request body must be a JSON array of objects.");
  }
  const bad = parsed.findIndex((r) => typeof r !== "object" || r === null || Array.isArray(r));
  if (bad !== -1) return serviceError(400, "InvalidRequestContent", `Record ${bad} is not a JSON object.`);
  return parsed as Record<string, unknown>[];
}
