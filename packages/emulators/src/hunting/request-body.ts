import type { IncomingMessage } from "node:http";
import { badRequest, type GraphFailure } from "./graph-error.ts";

/** A `runHuntingQuery` body after validation. */
export interface HuntingRequestBody {
  readonly query: string;
  readonly timespan: string | undefined;
}

/** Far above any real query; a body this large is a client bug, not a query. */
const maxBodyBytes = 1_000_000;

/** The raw body text; undefined when it is too large (the rest is discarded, not buffered). */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  }
  return size > maxBodyBytes ? undefined : Buffer.concat(chunks).toString("utf8");
}

/**
 * `{"Query": string, "Timespan"?: string}`; property names are matched case-insensitively, as
 * Graph's JSON reader does. Anything else is the service's 400.
 */
export function parseBody(text: string | undefined): HuntingRequestBody | GraphFailure {
  if (text === undefined) return badRequest(`The request body is larger than ${maxBodyBytes} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return badRequest("Invalid request body: not JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return badRequest("Invalid request body: expected a JSON object.");
  const property = (name: string) => Object.entries(body).find(([k]) => k.toLowerCase() === name)?.[1];
  const query = property("query");
  const timespan = property("timespan");
  if (typeof query !== "string" || query.trim() === "")
    return badRequest("The Query property is required and must be a non-empty string.", "Query");
  if (timespan !== undefined && timespan !== null && typeof timespan !== "string")
    return badRequest("Timespan must be an ISO 8601 string.", "Timespan");
  return { query, timespan: timespan ?? undefined };
}
