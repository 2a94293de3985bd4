import { describe, expect, it } from "vitest";
import { canonicalJson, rowIdOf, rowIdsOf, shortHash } from "./row-id.ts";

describe("canonicalJson", () => {
  it.each([
    ["keys sorted", { b: 1, a: 2 }, '{"a":2,"b":1}'],
    [
      "nested keys sorted, arrays kept in order",
      { z: [{ y: 1, x: 2 }, 3], a: { d: null, c: "s" } },
      '{"a":{"c":"s","d":null},"z":[{"x":2,"y":1},3]}',
    ],
    ["undefined fields left out, as in JSON", { a: undefined, b: 1 }, '{"b":1}'],
    ["undefined array items as null, as in JSON", [undefined, 1], "[null,1]"],
    ["scalars as JSON", 'a"b', '"a\\"b"'],
    ["keys escaped", { 'a"b': 1 }, '{"a\\"b":1}'],
    ["an empty object", {}, "{}"],
  ])("%s", (_, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe("rowIdOf", () => {
  const row = {
    Timestamp: "2026-11-26T04:46:00Z",
    AlertId: "da1",
    Evidence: { FileName: "a.exe", SHA256: "ab" },
    Tags: ["x", "y"],
  };
  const id = rowIdOf("contoso", "alert-info", row);

  it("is 32 lowercase hex characters", () => {
    expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("is stable across releases (a change would re-ingest every row as new)", () => {
    // sha256('contoso\nalert-info\n{"AlertId":"da1","Timestamp":"2026-11-26T04:46:00Z"}'), first 128 bits
    expect(rowIdOf("contoso", "alert-info", { Timestamp: "2026-11-26T04:46:00Z", AlertId: "da1" })).toBe(
      "a3e2ebaa8f51fa61042b3d5e69539929",
    );
    expect(shortHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223");
  });

  it("does not depend on the order the API listed the columns in, at any depth", () => {
    const reordered = {
      Tags: ["x", "y"],
      Evidence: { SHA256: "ab", FileName: "a.exe" },
      AlertId: "da1",
      Timestamp: "2026-11-26T04:46:00Z",
    };
    expect(rowIdOf("contoso", "alert-info", reordered)).toBe(id);
  });

  it.each([
    ["another value", { ...row, AlertId: "da2" }],
    ["a nested value", { ...row, Evidence: { ...row.Evidence, SHA256: "cd" } }],
    ["array items in another order", { ...row, Tags: ["y", "x"] }],
    ["a number instead of a string", { ...row, AlertId: 1 }],
    ["an extra column", { ...row, Extra: null }],
    ["a missing column", { Timestamp: row.Timestamp, AlertId: "da1", Evidence: row.Evidence }],
  ])("differs for a row with %s", (_, other) => {
    expect(rowIdOf("contoso", "alert-info", other)).not.toBe(id);
  });

  it.each([
    ["tenant", rowIdOf("fabrikam", "alert-info", row)],
    ["query", rowIdOf("contoso", "alert-evidence", row)],
  ])("differs for the same row under another %s", (_, other) => {
    expect(other).not.toBe(id);
  });
});

describe("rowIdsOf", () => {
  it("gives identical rows distinct ids, numbered in order, and the first copy the plain id", () => {
    const row = { Timestamp: "2026-11-26T00:00:00.000Z", AlertId: "a1" };
    const other = { Timestamp: "2026-11-26T00:00:00.000Z", AlertId: "a2" };
    const ids = rowIdsOf("t", "q", [row, other, { ...row }, { ...row }]);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBe(rowIdOf("t", "q", row));
    expect(ids[1]).toBe(rowIdOf("t", "q", other));
    // A re-fetch of the same window numbers the copies alike, so duplicate detection still works.
    expect(rowIdsOf("t", "q", [other, row, row, row])).toEqual([ids[1], ids[0], ids[2], ids[3]]);
  });
});
