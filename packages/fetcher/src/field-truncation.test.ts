import { describe, expect, it } from "vitest";
import { maxFieldBytes, truncatedColumnsColumn, truncateFields, truncateUtf8 } from "./field-truncation.ts";

describe("truncateUtf8", () => {
  it.each([
    ["a short string, untouched", "abc", 3, "abc"],
    ["ASCII over the limit, cut at the limit", "abcdef", 4, "abcd"],
    ["a 2-byte character straddling the limit, dropped whole", "aé", 2, "a"],
    ["a 3-byte character ending exactly at the limit, kept", "a€", 4, "a€"],
    ["a 4-byte emoji straddling the limit, dropped whole", "ab😀", 5, "ab"],
    ["nothing fits", "😀", 3, ""],
  ])("%s", (_, text, maxBytes, expected) => {
    expect(truncateUtf8(text, maxBytes)).toBe(expected);
  });
});

describe("truncateFields", () => {
  it("returns the same row when every field fits", () => {
    const row = { Timestamp: "2026-11-26T10:00:00Z", AlertId: "da1", FileSize: 12, Extra: { a: 1 } };
    expect(truncateFields(row)).toBe(row);
  });

  it("cuts fields over 64 KB of UTF-8, keeps the rest, and flags the row with the cut columns", () => {
    const long = "é".repeat(maxFieldBytes); // 128 KiB of UTF-8
    const dynamic = { lines: Array.from({ length: 20_000 }, (_, i) => `line ${i}`) };
    const row = { AlertId: "da1", ProcessCommandLine: long, AdditionalFields: dynamic };
    const out = truncateFields(row);
    expect(out["AlertId"]).toBe("da1");
    expect(out["ProcessCommandLine"]).toBe("é".repeat(maxFieldBytes / 2));
    expect(Buffer.byteLength(out["AdditionalFields"] as string)).toBe(maxFieldBytes);
    expect((out["AdditionalFields"] as string).startsWith('{"lines":["line 0"')).toBe(true);
    expect(out[truncatedColumnsColumn]).toEqual(["ProcessCommandLine", "AdditionalFields"]);
    expect(row.ProcessCommandLine).toBe(long);
  });
});
