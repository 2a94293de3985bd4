import { describe, expect, it } from "vitest";
import { huntingError } from "./graph-errors.ts";

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message, target: "" } });
const now = Date.parse("2026-11-26T10:00:00Z");

describe("huntingError", () => {
  it.each([
    [
      "429 on the call quota",
      429,
      errorBody("TooManyRequests", "Too many requests, retry after 5 seconds"),
      "5",
      "ThrottledError",
      5_000,
      /^call quota: TooManyRequests/,
    ],
    [
      "429 on the CPU quota",
      429,
      errorBody("TooManyRequests", "You have exceeded your CPU quota"),
      null,
      "ThrottledError",
      undefined,
      /^CPU quota: /,
    ],
    [
      "429 with a Retry-After date",
      429,
      errorBody("TooManyRequests", "slow down"),
      "Thu, 26 Nov 2026 10:00:30 GMT",
      "ThrottledError",
      30_000,
      /slow down/,
    ],
    [
      "400 over the result size",
      400,
      errorBody("BadRequest", "Query execution has exceeded the allowed result size."),
      null,
      "TruncatedResultError",
      undefined,
      /result size/,
    ],
    [
      "400 for a preempted query",
      400,
      errorBody("BadRequest", "The query was preempted"),
      null,
      "TruncatedResultError",
      undefined,
      /preempted/,
    ],
    [
      "400 for a bad query",
      400,
      errorBody("BadRequest", "Syntax error near 'projekt'"),
      null,
      "PermanentError",
      undefined,
      /projekt/,
    ],
    [
      "400 for a bad query that names a timeout column",
      400,
      errorBody("BadRequest", "Failed to resolve scalar expression named 'timeout'"),
      null,
      "PermanentError",
      undefined,
      /timeout/,
    ],
    [
      "400 for a query that timed out",
      400,
      errorBody("BadRequest", "The query timed out after 3 minutes"),
      null,
      "TruncatedResultError",
      undefined,
      /timed out/,
    ],
    ["500", 500, errorBody("InternalServerError", "Something went wrong"), null, "TransientError", undefined, /went wrong/],
    ["502 from a gateway, not JSON", 502, "<html>Bad gateway answer</html>", null, "TransientError", undefined, /Bad gateway/],
    // A 504 is a gateway that gave up waiting for the query, whatever it says: a smaller window is the cure.
    ["504 that timed out", 504, "<html>Gateway Timeout</html>", null, "TruncatedResultError", undefined, /Gateway Timeout/],
    ["504 that says nothing", 504, "", null, "TruncatedResultError", undefined, /.*/],
    [
      "504 in Graph's words",
      504,
      errorBody("GatewayTimeout", "HTTP 504."),
      null,
      "TruncatedResultError",
      undefined,
      /GatewayTimeout/,
    ],
    ["401", 401, errorBody("InvalidAuthenticationToken", "Access token has expired"), null, "ConfigError", undefined, /expired/],
    ["403", 403, errorBody("Forbidden", "Missing role ThreatHunting.Read.All"), null, "ConfigError", undefined, /ThreatHunting/],
    ["404", 404, errorBody("NotFound", "Resource not found"), null, "ConfigError", undefined, /not found/],
  ])("maps %s", (_, status, body, retryAfter, name, retryAfterMs, message) => {
    const error = huntingError(status, body, retryAfter, now);
    expect({ name: error.name, status: error.status, retryAfterMs: (error as { retryAfterMs?: number }).retryAfterMs }).toEqual({
      name,
      status,
      retryAfterMs,
    });
    expect(error.message).toMatch(message);
  });

  it.each([
    ["a result-size 400", 400, errorBody("BadRequest", "Query execution has exceeded the allowed result size"), false],
    ["a preempted query", 400, errorBody("BadRequest", "The query was preempted"), false],
    ["a query that timed out (400)", 400, errorBody("BadRequest", "The query timed out after 3 minutes"), true],
    ["a gateway timeout (504)", 504, "<html>Gateway Timeout</html>", true],
    ["a bare 504", 504, errorBody("GatewayTimeout", "Injected fault: HTTP 504."), true],
  ])("tells a timeout from a result too large: %s", (_, status, body, timedOut) => {
    expect(huntingError(status, body, null, now)).toMatchObject({ name: "TruncatedResultError", timedOut });
  });

  it.each([
    ["a bare 504", 504, errorBody("GatewayTimeout", "Injected fault: HTTP 504."), true],
    ["a 504 that says it timed out", 504, "<html>Gateway Timeout</html>", false],
    ["a 400 that says it timed out", 400, errorBody("BadRequest", "The query timed out after 3 minutes"), false],
  ])("marks a timeout that does not say why as unexplained: %s", (_, status, body, unexplained) => {
    expect(huntingError(status, body, null, now)).toMatchObject({ name: "TruncatedResultError", unexplained });
  });
});
