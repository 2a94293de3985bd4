import { describe, expect, it } from "vitest";
import { replayBody } from "./replay-body.ts";

describe("replayBody", () => {
  it("gives a window that used up its attempts, and was throttled, a fresh start, keeping the rest", () => {
    const window = { version: 1, tenant: "t", attempt: 4, throttles: 3, lastError: "503", run: "b-1" };
    expect(replayBody(window)).toEqual({ version: 1, tenant: "t", attempt: 0, lastError: "503", run: "b-1" });
  });

  it("resets a row message's attempt and keeps its row and id", () => {
    const row = { version: 1, rowId: "ab", attempt: 2, row: { AlertId: "da1" } };
    expect(replayBody(row)).toEqual({ version: 1, rowId: "ab", attempt: 0, row: { AlertId: "da1" } });
  });

  it.each([
    ["a number", 1],
    ["null", null],
    ["an array", [{ attempt: 3 }]],
    ["an object without attempts", { note: "x" }],
    ["an object whose attempt is not a number", { attempt: "3" }],
  ])("leaves %s unchanged", (_, body) => {
    expect(replayBody(body)).toBe(body);
  });
});
