import { describe, expect, it } from "vitest";
import { type DcrColumnType, describeValue, fitsDcrType } from "./dcr-value-types.ts";

describe("fitsDcrType: what Log Analytics keeps rather than stores as null", () => {
  const fits: [DcrColumnType, unknown][] = [
    ["int", 42],
    ["int", -(2 ** 31)],
    ["int", 2 ** 31 - 1],
    ["int", "17"],
    ["long", 2 ** 40],
    ["long", "-9007199254740993"],
    ["long", "9223372036854775807"],
    ["long", "-9223372036854775808"],
    ["real", 1.5],
    ["real", 3],
    ["real", "2.5e3"],
    ["boolean", true],
    ["boolean", "False"],
    ["boolean", 0],
    ["datetime", "2026-11-26T07:00:00.1234567Z"],
    ["datetime", "2026-11-26"],
    ["string", 12],
    ["string", { a: 1 }],
    ["dynamic", [1, "two"]],
    ["long", null],
    ["datetime", null],
  ];
  it.each(fits)("%s keeps %j", (type, value) => expect(fitsDcrType(type, value)).toBe(true));

  const lost: [DcrColumnType, unknown][] = [
    ["int", 1.5],
    ["int", 2 ** 31],
    ["int", "seven"],
    ["int", true],
    ["long", 2 ** 64],
    ["long", "9223372036854775808"],
    ["long", "12abc"],
    ["long", { n: 1 }],
    ["real", "high"],
    ["real", ""],
    ["real", [1]],
    ["boolean", "yes"],
    ["boolean", 2],
    ["datetime", "yesterday"],
    ["datetime", "12"],
    ["boolean", ["true"]],
    ["datetime", 1_700_000_000_000],
    ["datetime", {}],
  ];
  it.each(lost)("%s loses %j", (type, value) => expect(fitsDcrType(type, value)).toBe(false));
});

describe("describeValue", () => {
  it("gives the JSON type and a short excerpt", () => {
    expect(describeValue("abc")).toBe('string "abc"');
    expect(describeValue([1, 2])).toBe("array [1,2]");
    expect(describeValue("x".repeat(100))).toBe(`string "${"x".repeat(39)}…`);
  });
});
