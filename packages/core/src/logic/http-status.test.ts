import { describe, expect, it } from "vitest";
import { isConfigError, isPermanentError, isThrottledError, isTransientError } from "../errors.ts";
import { errorForStatus } from "./http-status.ts";

const kindOf = (e: unknown) =>
  isThrottledError(e)
    ? "throttled"
    : isTransientError(e)
      ? "transient"
      : isConfigError(e)
        ? "config"
        : isPermanentError(e)
          ? "permanent"
          : "other";

describe("errorForStatus", () => {
  it.each([
    [429, "throttled"],
    [408, "transient"],
    [500, "transient"],
    [502, "transient"],
    [503, "transient"],
    [504, "transient"],
    [501, "permanent"],
    [505, "permanent"],
    [401, "config"],
    [403, "config"],
    [404, "config"],
    [400, "permanent"],
    [413, "permanent"],
    [409, "permanent"],
  ])("%i is %s", (status, kind) => {
    const error = errorForStatus(status, `HTTP ${status}`);
    expect([kindOf(error), error.status, error.message]).toEqual([kind, status, `HTTP ${status}`]);
  });

  it.each([30_000, undefined])("carries Retry-After (%s) on a 429", (retryAfterMs) => {
    expect(errorForStatus(429, "TooManyRequests", retryAfterMs)).toMatchObject({
      name: "ThrottledError",
      retryAfterMs,
      status: 429,
    });
  });
});
