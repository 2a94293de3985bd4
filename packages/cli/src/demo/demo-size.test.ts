import { describe, expect, it } from "vitest";
import { UsageError } from "../commands/usage-error.ts";
import { demoHours, demoRows, parseDemoBound } from "./demo-size.ts";

describe("parseDemoBound", () => {
  it("takes the default, the bounds and whole numbers between them", () => {
    expect([undefined, "1", "3", "696"].map((v) => parseDemoBound(demoHours, v))).toEqual([24, 1, 3, 696]);
    expect([undefined, "1", "6000", "1000000"].map((v) => parseDemoBound(demoRows, v))).toEqual([60_000, 1, 6_000, 1_000_000]);
  });

  // `--hours 1e9` made V8 die out of memory (exit 133) building the synthetic tenant; 720 h reaches
  // past Defender's 30 days, whose windows are passed over or dead-lettered.
  it.each(["1e9", "720", "0", "0.5", "-3", "Infinity", "NaN", "", "six"])("refuses --hours %j", (value) => {
    expect(() => parseDemoBound(demoHours, value)).toThrow(
      new UsageError(`--hours must be a whole number from 1 to 696, got "${value}"`),
    );
  });

  it.each(["1e9", "1000001", "0", "1.5"])("refuses --rows %j", (value) => {
    expect(() => parseDemoBound(demoRows, value)).toThrow(
      new UsageError(`--rows must be a whole number from 1 to 1000000, got "${value}"`),
    );
  });
});
