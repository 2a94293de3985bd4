import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

/** What an emulated failure says: Graph's error body plus the status and headers it came with. */
export interface GraphFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** What the error is about (`Query`, `Timespan`); omitted when nothing in particular. */
  readonly target?: string;
  readonly retryAfterSeconds?: number;
}

/** Graph's error codes for the statuses the emulator produces. */
const codes: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "InvalidAuthenticationToken",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  413: "RequestEntityTooLarge",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export function graphErrorCode(status: number): string {
  return codes[status] ?? "UnknownError";
}

/** Sends `{"error":{"code","message","target"?,"innerError"}}` the way Graph does, with `Retry-After` on a 429. */
export function sendGraphFailure(res: ServerResponse, failure: GraphFailure): void {
  if (res.headersSent || res.destroyed) return;
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.target === undefined ? {} : { target: failure.target }),
      innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": requestId },
    },
  });
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "request-id": requestId,
  };
  if (failure.retryAfterSeconds !== undefined) headers["retry-after"] = String(failure.retryAfterSeconds);
  res.writeHead(failure.status, headers).end(body);
}

export function badRequest(message: string, target?: string): GraphFailure {
  return { status: 400, code: "BadRequest", message, ...(target === undefined ? {} : { target }) };
}
