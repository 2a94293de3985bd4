/**
 * What the emulator answers, as the real service shapes it: 204 with no body, or an error body
 * `{"error":{"code","message"}}` with the code repeated in `x-ms-error-code` (the API's spec
 * declares that header on every error response). The SDK turns the body's message into the thrown
 * `RestError`'s message, so callers see the same text they would see from Azure.
 */
export interface UploadResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const accepted: UploadResponse = { status: 204, headers: {} };

export function serviceError(status: number, code: string, message: string, retryAfterSeconds?: number): UploadResponse {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "x-ms-error-code": code };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return { status, headers, body: JSON.stringify({ error: { code, message } }) };
}

/**
 * Codes and messages for statuses the emulator is asked to fake. Those seen from the real service:
 * 403 `OperationFailed` (missing Monitoring Metrics Publisher), 404 `NotFound` (unknown rule), 413
 * `ContentLengthLimitExceeded`. The others follow Azure's usual names (*unconfirmed* for this API).
 */
const defaults: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: "InvalidRequestContent", message: "The request content is invalid." },
  401: { code: "InvalidAuthenticationToken", message: "The access token is missing or invalid." },
  403: {
    code: "OperationFailed",
    message:
      "The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '{rule}'.",
  },
  404: { code: "NotFound", message: "The requested resource was not found." },
  408: { code: "RequestTimeout", message: "The request timed out." },
  413: { code: "ContentLengthLimitExceeded", message: "Maximum allowed content length exceeded." },
  429: { code: "TooManyRequests", message: "Too many requests: the data collection rule's request rate limit was exceeded." },
  500: { code: "InternalServerError", message: "An internal error occurred." },
  503: { code: "ServiceUnavailable", message: "The service is temporarily unavailable." },
};

/** The fault's answer; `ruleId`, the rule the call named, goes where Azure's text names it (the 403's). */
export function errorForStatus(status: number, message?: string, retryAfterSeconds?: number, ruleId = ""): UploadResponse {
  const known = defaults[status] ?? { code: `Http${status}`, message: `The service answered ${status}.` };
  return serviceError(status, known.code, message ?? known.message.replace("{rule}", ruleId), retryAfterSeconds);
}
