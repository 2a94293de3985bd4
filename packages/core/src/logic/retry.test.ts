import { describe, expect, it } from "vitest";
import { ConfigError, PermanentError, ThrottledError, TransientError, TruncatedResultError } from "../errors.ts";
import { configFaultDelayMs, decideRetry, parseRetryAfterMs, type RetryDecision } from "./retry.ts";

/** A transient error as another copy of the package throws it: the same name, another class. */
const foreignTransient = Object.assign(new Error("503 from a second copy of core"), { name: "TransientError" });
const throttled = (retryAfterMs: number | undefined) => new ThrottledError("429", { retryAfterMs });
/** With `random` pinned to 0, backoff is exactly half the exponential ceiling: 500 ms, 1 s, 2 s, 4 s, ... */
const retry = (delayMs: number, spendsAttempt: boolean, why: string): RetryDecision => ({
  kind: "retry",
  delayMs,
  spendsAttempt,
  why,
});
const giveUp = (why: string): RetryDecision => ({ kind: "giveUp", why });

describe("decideRetry (max 5 attempts)", () => {
  it.each<[string, unknown, number, RetryDecision]>([
    ["throttled with Retry-After waits as asked", throttled(30_000), 0, retry(30_000, false, "throttled")],
    ["throttled with Retry-After 0 retries at once", throttled(0), 0, retry(0, false, "throttled")],
    ["throttled without Retry-After backs off", throttled(undefined), 0, retry(500, false, "throttled")],
    ["throttled on the last attempt still does not give up", throttled(undefined), 4, retry(8_000, false, "throttled")],
    ["throttled long after maxAttempts still does not give up", throttled(1_000), 40, retry(1_000, false, "throttled")],
    ["transient on the first attempt", new TransientError("503"), 0, retry(500, true, "transient failure")],
    ["transient on the fourth attempt", new TransientError("503"), 3, retry(4_000, true, "transient failure")],
    ["transient on the fifth and last attempt", new TransientError("503"), 4, giveUp("failed 5 of 5 attempts")],
    ["transient from a message already past the limit", new TransientError("503"), 7, giveUp("failed 8 of 5 attempts")],
    ["transient from another copy of the package", foreignTransient, 0, retry(500, true, "transient failure")],
    [
      "transient with a Retry-After longer than its backoff waits as asked",
      new TransientError("503", { retryAfterMs: 120_000 }),
      0,
      retry(120_000, true, "transient failure"),
    ],
    [
      "transient with a Retry-After shorter than its backoff backs off",
      new TransientError("503", { retryAfterMs: 100 }),
      3,
      retry(4_000, true, "transient failure"),
    ],
    [
      "a configuration fault waits without spending an attempt",
      new ConfigError("403"),
      4,
      retry(configFaultDelayMs, false, "configuration fault"),
    ],
    ["permanent gives up at once", new PermanentError("400 bad query"), 0, giveUp("permanent failure")],
    ["a truncated result is not retried as is", new TruncatedResultError("100000 rows"), 0, giveUp("unexpected error")],
    ["an unknown error gives up", new TypeError("x is undefined"), 0, giveUp("unexpected error")],
    ["a thrown string gives up", "boom", 0, giveUp("unexpected error")],
    ["a look-alike object is not trusted", { name: "TransientError", message: "" }, 0, giveUp("unexpected error")],
  ])("%s", (_, error, attemptsSpent, expected) => {
    expect(decideRetry({ error, attemptsSpent, maxAttempts: 5, random: () => 0 })).toEqual(expected);
  });

  it("backs off longer with each throttle without Retry-After, though none spends an attempt", () => {
    const delays = [0, 1, 2, 3, 12].map((throttlesSpent) => {
      const decision = decideRetry({
        error: throttled(undefined),
        attemptsSpent: 0,
        throttlesSpent,
        maxAttempts: 5,
        random: () => 0,
      });
      return decision.kind === "retry" ? [decision.delayMs, decision.spendsAttempt] : decision;
    });
    // Half the exponential ceiling (random pinned to 0), up to the policy's 5 minutes.
    expect(delays).toEqual([
      [500, false],
      [1_000, false],
      [2_000, false],
      [4_000, false],
      [150_000, false],
    ]);
  });

  it("gives up on the first transient failure when only one attempt is allowed", () => {
    expect(decideRetry({ error: new TransientError("503"), attemptsSpent: 0, maxAttempts: 1 })).toEqual(
      giveUp("failed 1 of 1 attempts"),
    );
  });

  it("uses the backoff policy it is given", () => {
    const decision = decideRetry({
      error: new TransientError("503"),
      attemptsSpent: 2,
      maxAttempts: 5,
      backoff: { baseMs: 10, maxMs: 25 },
      random: () => 0,
    });
    // Third attempt: 10 · 2² = 40, capped at 25, half of it fixed (12.5), rounded.
    expect(decision).toEqual(retry(13, true, "transient failure"));
  });
});

describe("parseRetryAfterMs", () => {
  const nowMs = Date.parse("2026-11-26T10:00:00.000Z");

  it.each<[string, string | null | undefined, number | undefined]>([
    ["seconds", "120", 120_000],
    ["zero seconds", "0", 0],
    ["decimal seconds", "1.5", 1_500],
    ["seconds with spaces around", "  7 ", 7_000],
    ["an HTTP date (IMF-fixdate)", "Thu, 26 Nov 2026 10:00:30 GMT", 30_000],
    ["an HTTP date (RFC 850)", "Thursday, 26-Nov-26 10:01:00 GMT", 60_000],
    ["an HTTP date already past, as no wait", "Thu, 26 Nov 2026 09:59:00 GMT", 0],
    ["an HTTP date (asctime, GMT without saying so)", "Thu Nov 26 10:00:30 2026", 30_000],
    ["seconds beyond an hour, as an hour", "99999999999", 3_600_000],
    ["a date beyond an hour, as an hour", "Fri, 26 Nov 2027 10:00:00 GMT", 3_600_000],
    ["absent (null)", null, undefined],
    ["absent (undefined)", undefined, undefined],
    ["empty", "", undefined],
    ["blank", "   ", undefined],
    ["negative seconds", "-5", undefined],
    ["seconds with a unit", "5s", undefined],
    ["exponent notation", "1e3", undefined],
    ["a word", "soon", undefined],
    ["a word and a number", "soon 5", undefined],
    ["a day name and a number", "Tue 3", undefined],
    ["a comma decimal", "1,5", undefined],
  ])("%s", (_, header, expected) => {
    expect(parseRetryAfterMs(header, nowMs)).toBe(expected);
  });
});
