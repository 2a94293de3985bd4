import { describe, expect, it } from "vitest";
import { backoffMs, defaultBackoff } from "./backoff.ts";

const policy = { baseMs: 1_000, maxMs: 60_000 };
const low = () => 0;
const high = () => 0.999_999;

describe("backoffMs", () => {
  it.each([
    // attempt, lowest, highest: half the exponential ceiling is fixed, the other half jitter
    [0, 500, 1_000],
    [1, 500, 1_000],
    [2, 1_000, 2_000],
    [3, 2_000, 4_000],
    [6, 16_000, 32_000],
    [7, 30_000, 60_000],
    [50, 30_000, 60_000],
    [10_000, 30_000, 60_000],
  ])("attempt %i waits between %i and %i ms", (attempt, lowest, highest) => {
    expect(backoffMs(attempt, policy, low)).toBe(lowest);
    expect(backoffMs(attempt, policy, high)).toBe(highest);
  });

  it("never exceeds maxMs nor goes below half of it once capped, whatever the jitter", () => {
    for (let i = 0; i <= 100; i++) {
      const delay = backoffMs(20, policy, () => i / 101);
      expect(delay).toBeGreaterThanOrEqual(30_000);
      expect(delay).toBeLessThanOrEqual(60_000);
    }
  });

  it("grows with each attempt until the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffMs(a, policy, low));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("spreads messages that failed together", () => {
    expect(backoffMs(3, policy, () => 0.1)).not.toBe(backoffMs(3, policy, () => 0.9));
  });

  it("defaults to 1 s up to 5 min", () => {
    expect([backoffMs(1, undefined, high), backoffMs(40, undefined, high)]).toEqual([
      defaultBackoff.baseMs,
      defaultBackoff.maxMs,
    ]);
  });
});
