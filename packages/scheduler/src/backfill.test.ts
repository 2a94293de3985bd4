import { type QueryWindow, silentLogger, windowMessageId } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { type BackfillRequest, checkBackfill, enqueueBackfill, huntingRetentionMs } from "./backfill.ts";
import { RecordingSender } from "./scheduler-fakes.ts";

const hour = 60 * 60_000;
const nowMs = Date.parse("2026-11-26T12:00:00.000Z");
const request: BackfillRequest = {
  tenant: "contoso",
  queries: ["alert-info", "alert-evidence"],
  fromMs: nowMs - 3 * hour,
  toMs: nowMs - 2 * hour,
  windowMs: 5 * 60_000,
  nowMs,
};

describe("checkBackfill", () => {
  it.each([
    ["a past range within 30 days", {}, undefined],
    ["a range ending now", { toMs: nowMs }, undefined],
    ["a range starting exactly 30 days ago", { fromMs: nowMs - huntingRetentionMs }, undefined],
    [
      "a range ending in the future",
      { toMs: nowMs + 1 },
      "--to is in the future; the scheduler covers recent windows on its own",
    ],
    [
      "a range starting over 30 days ago",
      { fromMs: nowMs - huntingRetentionMs - 1 },
      "--from is older than Defender's 30 days of advanced-hunting data; the oldest start possible now is 2026-10-27T12:00:00.000Z",
    ],
    ["an empty range", { toMs: request.fromMs }, "--from must be before --to"],
    ["a reversed range", { fromMs: request.toMs, toMs: request.fromMs }, "--from must be before --to"],
  ])("%s", (_, change, problem) => {
    expect(checkBackfill({ ...request, ...change })).toBe(problem);
  });
});

describe("enqueueBackfill", () => {
  async function backfill(options: { nowMs?: number; batchSize?: number } = {}) {
    const windows = new RecordingSender();
    const progress: [number, number][] = [];
    const count = await enqueueBackfill({
      request: { ...request, nowMs: options.nowMs ?? nowMs },
      windows,
      logger: silentLogger,
      onProgress: (sent, total) => progress.push([sent, total]),
      batchSize: options.batchSize,
    });
    return { count, windows, progress };
  }

  it("enqueues every grid window of the range for each query, marked as backfill", async () => {
    const { count, windows } = await backfill();
    // One hour of 5-minute windows, for two queries.
    expect(count).toBe(24);
    expect(windows.sent).toHaveLength(24);
    const bodies = windows.sent.map((m) => m.body as QueryWindow);
    expect(bodies.filter((b) => b.query === "alert-info").map((b) => b.start)).toHaveLength(12);
    expect(bodies[0]).toMatchObject({
      tenant: "contoso",
      query: "alert-info",
      start: "2026-11-26T09:00:00.000Z",
      end: "2026-11-26T09:05:00.000Z",
      origin: "backfill",
      attempt: 0,
    });
    expect(bodies.at(-1)).toMatchObject({
      query: "alert-evidence",
      start: "2026-11-26T09:55:00.000Z",
      end: "2026-11-26T10:00:00.000Z",
    });
    expect(new Set(windows.sent.map((m) => m.messageId)).size).toBe(24);
  });

  it.each([
    [undefined, [24], [[24, 24]]],
    [
      10,
      [10, 10, 4],
      [
        [10, 24],
        [20, 24],
        [24, 24],
      ],
    ],
    [24, [24], [[24, 24]]],
  ])("sends in batches of %s and reports progress after each", async (batchSize, sizes, progress) => {
    const result = await backfill({ batchSize });
    expect(result.windows.sends.map((s) => s.length)).toEqual(sizes);
    expect(result.progress).toEqual(progress);
  });

  it("uses fresh message ids per run, so duplicate detection does not swallow a requested backfill", async () => {
    const first = (await backfill()).windows.sent;
    const second = (await backfill({ nowMs: nowMs + 1 })).windows.sent.map((m) => m.messageId);
    const scheduled = first.map((m) => windowMessageId(m.body as QueryWindow));
    const firstIds = first.map((m) => m.messageId);
    expect(second.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(scheduled.filter((id) => firstIds.includes(id) || second.includes(id))).toEqual([]);
  });
});
