import { describe, expect, it } from "vitest";
import { malformedDescription } from "./malformed-message.ts";
import { QueryWindow } from "./query-window.ts";
import { RowMessage } from "./row-message.ts";

function described(kind: "RowMessage" | "QueryWindow", body: unknown): string {
  const parsed = (kind === "RowMessage" ? RowMessage : QueryWindow).safeParse(body);
  if (parsed.success) throw new Error("expected the body to be refused");
  return malformedDescription(kind, body, parsed.error);
}

describe("the MalformedMessage description", () => {
  it("says a message of another version is one, instead of listing every field it lacks", () => {
    expect(described("RowMessage", { version: 2, tenant: "t" })).toBe(
      "a RowMessage of version 2; this release reads version 1: process it with the release that wrote it, " +
        "or dlq drop --reason MalformedMessage",
    );
    expect(described("QueryWindow", { version: 3 })).toMatch(/^a QueryWindow of version 3; this release reads version 1/);
  });

  it("names each field and what is wrong with it, on one line, counting what it leaves out", () => {
    const text = described("RowMessage", { version: 1, tenant: "t", query: "q", stream: "s", window: "w" });
    expect(text).toMatch(/^not a RowMessage: rowId: .+; row: row must be an object of columns$/);
    expect(text).not.toContain("\n");
    const many = described("QueryWindow", { version: 1 });
    expect(many).not.toContain("\n");
    expect(many).toMatch(/^not a QueryWindow: tenant: .+; and \d+ more$/);
  });

  it("says when the body is not an object at all", () => {
    expect(described("RowMessage", "not json at all")).toMatch(/^not a RowMessage: \(body\): .*expected object/);
    expect(described("RowMessage", null)).toMatch(/^not a RowMessage: \(body\): /);
  });
});
