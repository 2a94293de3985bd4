import { describe, expect, it } from "vitest";
import { type UploadVerdict, uploadVerdict } from "./upload-verdict.ts";

const now = Date.parse("2026-11-26T10:00:00Z");

/** A verdict as a test states it: its kind, and for a failure the error's class and retry delay. */
function brief(verdict: UploadVerdict) {
  if (verdict.kind !== "fail") return { kind: verdict.kind };
  return {
    kind: verdict.kind,
    error: verdict.error.name,
    retryAfterMs: (verdict.error as { retryAfterMs?: number }).retryAfterMs,
  };
}

describe("uploadVerdict", () => {
  it.each([
    [413, undefined, { kind: "split" }],
    [400, undefined, { kind: "bisect" }],
    [429, "30", { kind: "fail", error: "ThrottledError", retryAfterMs: 30_000 }],
    [429, undefined, { kind: "fail", error: "ThrottledError", retryAfterMs: undefined }],
    [408, undefined, { kind: "fail", error: "TransientError", retryAfterMs: undefined }],
    [500, undefined, { kind: "fail", error: "TransientError", retryAfterMs: undefined }],
    [503, "5", { kind: "fail", error: "TransientError", retryAfterMs: 5_000 }],
    [401, undefined, { kind: "fail", error: "ConfigError", retryAfterMs: undefined }],
    [403, undefined, { kind: "fail", error: "ConfigError", retryAfterMs: undefined }],
    [404, undefined, { kind: "fail", error: "ConfigError", retryAfterMs: undefined }],
    [undefined, undefined, { kind: "fail", error: "TransientError", retryAfterMs: undefined }],
  ])("answers HTTP %s (Retry-After %s) with %o", (status, retryAfter, expected) => {
    expect(brief(uploadVerdict({ status, message: "service said no", retryAfter }, now))).toEqual(expected);
  });

  it.each([
    [401, "Monitoring Metrics Publisher"],
    [403, "Monitoring Metrics Publisher"],
    [404, "ingestion.dcrId"],
    [undefined, "socket hang up"],
  ])("tells the operator what to fix after HTTP %s", (status, hint) => {
    const verdict = uploadVerdict({ status, message: "socket hang up" }, now);
    expect(verdict.kind === "fail" && verdict.error.message).toContain(hint);
  });
});
