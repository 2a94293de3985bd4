import { describe, expect, it } from "vitest";
import { ResultsSplitter } from "./results-splitter.ts";

/** Feeds `text` in chunks of `size` bytes, as a socket might cut it, and returns what `end` gives. */
function split(text: string, size: number, batchBytes?: number): unknown {
  const bytes = Buffer.from(text, "utf8");
  const splitter = new ResultsSplitter(batchBytes);
  for (let at = 0; at < bytes.length; at += size) splitter.push(new Uint8Array(bytes.subarray(at, at + size)));
  return splitter.end();
}

const rows = [
  { Timestamp: "2026-11-26T04:46:00Z", AlertId: "da1", Note: 'brackets ] } [ { and commas , and "quotes"' },
  { Timestamp: "2026-11-26T04:46:01Z", AlertId: "da2", Note: "a backslash at the end \\", Size: 12, Ok: true },
  { Timestamp: "2026-11-26T04:46:02Z", AlertId: "da3", Note: "ünïcödé 😀 \u2028", Extra: null },
  { Timestamp: "2026-11-26T04:46:03Z", AlertId: "da4", Evidence: [{ a: "}," }, { b: [1, [2, { c: "]" }]] }] },
  { Timestamp: "2026-11-26T04:46:04Z", AlertId: "da5", Json: '{"Type":"File"},{"x":"\\""}' },
];
const schema = [{ name: "Timestamp", type: "DateTime" }];
const bodies: [string, string][] = [
  ["a Graph body", JSON.stringify({ "@odata.context": "https://x/$metadata", schema, results: rows })],
  ["results before the schema", JSON.stringify({ results: rows, schema })],
  ["a legacy body", JSON.stringify({ Stats: { ExecutionTime: 0.1 }, Schema: schema, Results: rows })],
  ["pretty-printed", JSON.stringify({ schema, results: rows }, null, 2)],
  ["an escaped member name", `{"schema":[],"res\\u0075lts":${JSON.stringify(rows)}}`],
  ["no rows", '{"schema":[],"results":[]}'],
  ["a byte order mark", `\ufeff${JSON.stringify({ schema, results: rows })}`],
];

describe("ResultsSplitter", () => {
  it.each(bodies)("reads %s exactly as JSON.parse does, however the bytes are cut", (_, body) => {
    const expected = JSON.parse(body.replace(/^\ufeff/, ""));
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      expect(split(body, size)).toEqual(expected);
      expect(split(body, size, 1)).toEqual(expected); // a batch per row
    }
  });

  it("parses a large result in many batches, in order", () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({ AlertId: `da${i}`, Pad: "x".repeat(500) }));
    const body = JSON.stringify({ schema, results: many });
    const splitter = new ResultsSplitter();
    const bytes = Buffer.from(body);
    for (let at = 0; at < bytes.length; at += 65_536) splitter.push(bytes.subarray(at, at + 65_536));
    expect(splitter.rows).toHaveLength(3_000); // parsed while streaming, before `end`
    expect(splitter.end()).toEqual({ schema, results: many });
  });

  it("never returns part of a body that was cut off", () => {
    const body = JSON.stringify({ schema, results: rows });
    for (let length = 0; length < body.length; length++) {
      expect(() => split(body.slice(0, length), 5, 1), `cut at ${length}`).toThrow(SyntaxError);
    }
  });

  it.each([
    ["an empty member first", '{"results":[,{"a":1}]}'],
    ["an empty member last", '{"results":[{"a":1},]}'],
    ["an empty member between rows", '{"results":[{"a":1},,{"a":2}]}'],
    ["a stray bracket in the rows", '{"results":[{"a":1}}]}'],
    ["garbage after the body", '{"results":[]} x'],
    ["two results members", '{"results":[],"Results":[]}'],
    ["not JSON", "<html>proxy login</html>"],
  ])("rejects %s", (_, body) => {
    for (const batchBytes of [1, 1 << 20]) expect(() => split(body, 3, batchBytes)).toThrow(SyntaxError);
  });

  it("does not take two bytes that only begin a byte order mark for one", () => {
    for (const size of [1, 2, 100]) {
      const splitter = new ResultsSplitter();
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from('{"results":[]}')]);
      for (let at = 0; at < bytes.length; at += size) splitter.push(bytes.subarray(at, at + size));
      expect(() => splitter.end()).toThrow(SyntaxError);
    }
  });

  it("leaves a body that is not an object to the response check", () => {
    expect(split('[{"results":[1]}]', 4)).toEqual([{ results: [1] }]);
    expect(split('"results"', 4)).toBe("results");
  });
});
