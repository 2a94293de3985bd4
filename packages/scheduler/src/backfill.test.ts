import { huntingRetentionMs, type QueryWindow, silentLogger, windowLane, windowMessageId } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { type BackfillRequest, checkBackfill, enqueueBackfill } from "./backfill.ts";
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
    [
      "a range starting 30 days less 15 minutes ago, on the grid",
      { fromMs: nowMs - huntingRetentionMs + 15 * 60_000 },
      undefined,
    ],
    [
      "a range ending in the future",
      { toMs: nowMs + 1 },
      "--to is in the future; the scheduler covers recent windows on its own",
    ],
    [
      "a range starting over 30 days ago",
      { fromMs: nowMs - huntingRetentionMs - 1 },
      "--from is older than Defender's 30 days of advanced-hunting data (less 15 minutes to fetch the first window in); the oldest start possible now is 2026-10-27T12:15:00.000Z",
    ],
    [
      // Its first window would start before the edge (the grid rounds --from down) and fall out within minutes.
      "a range starting exactly 30 days ago",
      { fromMs: nowMs - huntingRetentionMs },
      "--from is older than Defender's 30 days of advanced-hunting data (less 15 minutes to fetch the first window in); the oldest start possible now is 2026-10-27T12:15:00.000Z",
    ],
    [
      "a --to whose grid window ends inside the lag",
      { toMs: nowMs - 7 * 60_000, resweeps: { lagMs: 10 * 60_000, offsetsMs: [] } },
      "--to ends a window (at 2026-11-26T11:55:00.000Z) less than schedule.lagMs ago; the latest --to possible now is 2026-11-26T11:50:00.000Z, the scheduler covers the rest",
    ],
    [
      "a --to exactly the lag ago, on the grid",
      { toMs: nowMs - 10 * 60_000, resweeps: { lagMs: 10 * 60_000, offsetsMs: [] } },
      undefined,
    ],
    ["an empty range", { toMs: request.fromMs }, "--from must be before --to"],
    ["a reversed range", { fromMs: request.toMs, toMs: request.fromMs }, "--from must be before --to"],
  ])("%s", (_, change, problem) => {
    expect(checkBackfill({ ...request, ...change })).toBe(problem);
  });
});

describe("enqueueBackfill", () => {
  async function backfill(
    options: { nowMs?: number; batchSize?: number; change?: Partial<BackfillRequest>; alreadySent?: number } = {},
  ) {
    // `windows` is the backfill lane, `live` the scheduler's.
    const windows = new RecordingSender();
    const live = new RecordingSender();
    const progress: [number, number][] = [];
    const { windows: count, resweeps } = await enqueueBackfill({
      request: { ...request, nowMs: options.nowMs ?? nowMs, ...options.change },
      lanes: { backfill: windows, live },
      logger: silentLogger,
      onProgress: (sent, total) => {
        progress.push([sent, total]);
      },
      batchSize: options.batchSize,
      alreadySent: options.alreadySent,
    });
    return { count, resweeps, windows, live, progress };
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

  it("sends the oldest windows first with their queries together, so no query's oldest windows wait behind another's", async () => {
    const { windows } = await backfill();
    const order = windows.sent.slice(0, 4).map((m) => [(m.body as QueryWindow).query, (m.body as QueryWindow).start]);
    expect(order).toEqual([
      ["alert-info", "2026-11-26T09:00:00.000Z"],
      ["alert-evidence", "2026-11-26T09:00:00.000Z"],
      ["alert-info", "2026-11-26T09:05:00.000Z"],
      ["alert-evidence", "2026-11-26T09:05:00.000Z"],
    ]);
  });

  it("keeps the order an older version recorded (by query), so taking up its run skips the windows it sent", async () => {
    const older = await backfill({ change: { order: "by-query" } });
    expect(older.windows.sent.slice(11, 13).map((m) => [(m.body as QueryWindow).query, (m.body as QueryWindow).start])).toEqual([
      ["alert-info", "2026-11-26T09:55:00.000Z"],
      ["alert-evidence", "2026-11-26T09:00:00.000Z"],
    ]);
    const rest = await backfill({ change: { order: "by-query" }, alreadySent: 12 });
    expect(rest.windows.sent.map((m) => m.messageId)).toEqual(older.windows.sent.slice(12).map((m) => m.messageId));
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

  it("schedules the re-sweeps still to come of the range's recent windows, after its first passes, on the live lane", async () => {
    const resweeps = { lagMs: 10 * 60_000, offsetsMs: [hour, 24 * hour] };
    // The last 3 hours up to now: +1 h passes for windows that ended under 70 min ago, +24 h for all.
    const result = await backfill({ change: { fromMs: nowMs - 3 * hour, toMs: nowMs, resweeps }, batchSize: 50 });
    expect(result.count).toBe(72);
    expect(result.resweeps).toBe(2 * (14 + 36));
    // The scheduler's own passes under the scheduler's ids: on its queue, where duplicate detection
    // (per queue) can collapse the two copies.
    const scheduled = result.live.sent;
    expect(result.windows.sent).toHaveLength(72);
    expect(result.windows.sent.every((m) => m.scheduledEnqueueTimeUtc === undefined)).toBe(true);
    expect(scheduled).toHaveLength(100);
    for (const m of scheduled) {
      const w = m.body as QueryWindow;
      expect(w.origin).toBe("resweep");
      expect(m.messageId).toBe(windowMessageId(w));
      const offset = resweeps.offsetsMs[w.sweep - 1] ?? Number.NaN;
      expect(m.scheduledEnqueueTimeUtc?.getTime()).toBe(Date.parse(w.end) + resweeps.lagMs + offset);
      expect(m.scheduledEnqueueTimeUtc?.getTime()).toBeGreaterThan(nowMs);
    }
    // Same range, asked for again a minute later: the same re-sweep ids (the queue keeps one of each).
    const again = await backfill({ nowMs: nowMs + 60_000, change: { fromMs: nowMs - 3 * hour, toMs: nowMs, resweeps } });
    const againIds = again.live.sent.map((m) => m.messageId);
    expect(againIds.every((id) => scheduled.some((m) => m.messageId === id))).toBe(true);
    // Without re-sweeps configured, or for an old range, none.
    expect((await backfill()).resweeps).toBe(0);
    expect((await backfill({ change: { resweeps } })).resweeps).toBe(2 * 12); // ended 2 h ago: +24 h only
  });

  it("uses fresh message ids per run, so duplicate detection does not swallow a requested backfill", async () => {
    const first = (await backfill()).windows.sent;
    const second = (await backfill({ nowMs: nowMs + 1 })).windows.sent.map((m) => m.messageId);
    const scheduled = first.map((m) => windowMessageId(m.body as QueryWindow));
    const firstIds = first.map((m) => m.messageId);
    expect(second.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(scheduled.filter((id) => firstIds.includes(id) || second.includes(id))).toEqual([]);
  });

  it("puts every first pass on the backfill lane and nothing on the live lane when no re-sweep is due", async () => {
    const { windows, live } = await backfill();
    expect(windows.sent.map((m) => windowLane(m.body))).toEqual(Array(24).fill("backfill"));
    expect(live.sent).toEqual([]);
  });

  it("a second try of the same run (same nowMs) sends only what the first did not, under the same ids", async () => {
    const all = (await backfill({ batchSize: 10 })).windows.sent.map((m) => m.messageId);
    const rest = await backfill({ batchSize: 10, alreadySent: 20 });
    expect(rest.windows.sent.map((m) => m.messageId)).toEqual(all.slice(20));
    expect(rest.progress).toEqual([[24, 24]]);
    expect((await backfill({ alreadySent: 24 })).windows.sent).toEqual([]);
  });

  it("reports progress only for sends that went through, so a crash mid-way leaves an honest count", async () => {
    const crashing = new RecordingSender();
    let sends = 0;
    const send = crashing.sendMessages.bind(crashing);
    crashing.sendMessages = async (messages) => {
      if (++sends > 2) throw new Error("process killed");
      await send(messages);
    };
    const progress: number[] = [];
    const attempt = enqueueBackfill({
      request,
      lanes: { backfill: crashing, live: new RecordingSender() },
      logger: silentLogger,
      batchSize: 5,
      onProgress: (sent) => {
        progress.push(sent);
      },
    });
    await expect(attempt).rejects.toThrow("process killed");
    expect(crashing.sent).toHaveLength(10);
    expect(progress).toEqual([5, 10]);
  });
});
