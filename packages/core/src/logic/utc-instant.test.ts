import { describe, expect, it } from "vitest";
import { utcInstantMs } from "./utc-instant.ts";

describe("utcInstantMs", () => {
  it.each([
    ["a date-time with Z", "2026-02-28T18:00:00Z", Date.UTC(2026, 1, 28, 18)],
    ["a date-time without a zone, as UTC", "2026-02-28T18:00:00", Date.UTC(2026, 1, 28, 18)],
    ["a date-time with milliseconds and no zone", "2026-02-28T18:00:00.250", Date.UTC(2026, 1, 28, 18, 0, 0, 250)],
    ["a date-time with an offset", "2026-02-28T18:00:00+01:00", Date.UTC(2026, 1, 28, 17)],
    ["a date alone", "2026-02-28", Date.UTC(2026, 1, 28)],
    ["a leap day", "2028-02-29T00:00:00Z", Date.UTC(2028, 1, 29)],
  ])("reads %s", (_, text, ms) => {
    expect(utcInstantMs(text)).toBe(ms);
  });

  it.each(["2026-02-30", "2026-02-30T00:00:00Z", "2027-02-29", "garbage 2026-02-27", "2026-13-01", "soon"])(
    "refuses %j",
    (text) => {
      expect(utcInstantMs(text)).toBeNaN();
    },
  );
});
