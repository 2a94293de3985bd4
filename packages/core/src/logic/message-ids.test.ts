import { describe, expect, it } from "vitest";
import { replayMessageId, retryMessageId, windowMessageId } from "./message-ids.ts";

const window = {
  tenant: "contoso",
  query: "alert-info",
  start: "2026-11-26T04:45:00.000Z",
  end: "2026-11-26T04:50:00.000Z",
  sweep: 0,
};
const base = windowMessageId(window);

describe("message ids", () => {
  it("gives the same window pass the same id, whoever enqueues it", () => {
    expect(windowMessageId({ ...window })).toBe(base);
  });

  it.each([
    ["another sweep", { sweep: 1 }],
    ["another tenant", { tenant: "fabrikam" }],
    ["another query", { query: "alert-evidence" }],
    ["another start", { start: "2026-11-26T04:45:00.001Z" }],
    ["another end", { end: "2026-11-26T04:55:00.000Z" }],
  ])("gives a window pass with %s another id", (_, change) => {
    expect(windowMessageId({ ...window, ...change })).not.toBe(base);
  });

  it.each([
    ["attempt", retryMessageId(base, 1, 1_000), retryMessageId(base, 2, 1_000)],
    ["due time", retryMessageId(base, 1, 1_000), retryMessageId(base, 1, 2_000)],
    ["original", retryMessageId(base, 1, 1_000), retryMessageId("other", 1, 1_000)],
    ["replay time", replayMessageId(base, 1_000), replayMessageId(base, 2_000)],
  ])("gives a copy with another %s another id", (_, a, b) => {
    expect(a).not.toBe(b);
  });

  it("never reuses the original's id for a retry or a replay", () => {
    const all = [base, retryMessageId(base, 0, 0), replayMessageId(base, 0)];
    expect(new Set(all).size).toBe(3);
  });

  it("is deterministic for a retry copy, so a re-sent copy collapses", () => {
    expect(retryMessageId(base, 1, 1_000)).toBe(retryMessageId(base, 1, 1_000));
  });

  it("stays within Service Bus's 128 characters, even for long names and ids", () => {
    const long = "x".repeat(1_000);
    const ids = [
      windowMessageId({ ...window, tenant: long, query: long }),
      retryMessageId(long, 99, Date.now()),
      replayMessageId(long, Date.now()),
    ];
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(128);
  });
});
