import { describe, expect, it } from "vitest";
import { parseStatsEvery } from "./stats-every.ts";
import { UsageError } from "./usage-error.ts";

describe("parseStatsEvery", () => {
  it.each([
    [undefined, 60_000],
    ["0", 0],
    ["1", 1_000],
    ["2.5", 2_500],
    ["86400", 86_400_000],
  ])("takes %j as %i ms", (value, ms) => {
    expect(parseStatsEvery(value)).toBe(ms);
  });

  // 0.0001 s and 3,000,000 s (past setInterval's 2^31-1 ms, which Node turns into 1 ms) both
  // printed a line every millisecond.
  it.each(["0.0001", "0.5", "86401", "3000000", "-1", "soon", "", "Infinity", "1e2", "0x10", " 5", "+5", "5."])(
    "refuses %j",
    (value) => {
      expect(() => parseStatsEvery(value)).toThrow(
        new UsageError(`--stats-every must be 0 (none) or from 1 to 86400 seconds, got "${value}"`),
      );
    },
  );
});
