import { describe, expect, it } from "vitest";
import { parseHuntingResponse } from "./hunting-response.ts";

const row = { Timestamp: "2026-11-26T10:00:01Z", AlertId: "da1", Title: "Suspicious PowerShell" };
const expected = {
  schema: [
    { name: "Timestamp", type: "DateTime" },
    { name: "AlertId", type: "String" },
  ],
  results: [row],
};

describe("parseHuntingResponse", () => {
  it.each([
    [
      "Graph's lowercase body",
      {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults",
        ...expected,
      },
    ],
    [
      "the documented example with capitalised column keys",
      { schema: expected.schema.map((c) => ({ Name: c.name, Type: c.type })), results: [row] },
    ],
    [
      "the legacy endpoint's Stats/Schema/Results",
      { Stats: { ExecutionTime: 0.1 }, Schema: expected.schema.map((c) => ({ Name: c.name, Type: c.type })), Results: [row] },
    ],
  ])("reads %s", (_, body) => {
    expect(parseHuntingResponse(body)).toEqual(expected);
  });

  it("keeps a column type it does not know, and an empty result", () => {
    const body = { schema: [{ name: "Duration", type: "TimeSpan" }], results: [] };
    expect(parseHuntingResponse(body)).toEqual(body);
  });

  // A body that is not a hunting result must never read as "no rows": the window would be completed
  // with its data missing.
  it.each([
    ["null", null],
    ["a string", "<html>Service Unavailable</html>"],
    ["an array", []],
    ["an object without results", {}],
    ["an error body", { error: { code: "InternalServerError", message: "oops" } }],
    ["results that are not a list", { schema: [], results: "none" }],
    ["rows that are not objects", { schema: [], results: [1, 2] }],
    ["a column without a name", { schema: [{ type: "String" }], results: [] }],
  ])("rejects %s", (_, body) => {
    expect(() => parseHuntingResponse(body)).toThrow();
  });
});
