import { describe, expect, it } from "vitest";
import { parseCheckpoint } from "./pass-start.ts";

describe("parseCheckpoint", () => {
  it("reads epoch milliseconds", () => {
    expect(parseCheckpoint("k", "1764151200000")).toBe(1_764_151_200_000);
  });

  // `Number("")` is 0: an empty checkpoint planned every window since 1970.
  it.each(["", " ", "1e12", "-5", "12.5", "0x10", "soon"])("refuses %j, naming the key", (value) => {
    expect(() => parseCheckpoint("schedule/contoso/alert-info", value)).toThrow(
      `checkpoint schedule/contoso/alert-info holds "${value}", not epoch milliseconds`,
    );
  });
});
