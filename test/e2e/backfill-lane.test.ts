import { join } from "node:path";
import {
  alignDown,
  type HuntingApi,
  newWindow,
  type QueueClient,
  RelayConfig,
  ThrottledError,
  TruncatedResultError,
  windowMessageId,
  windowTimespan,
} from "@xdr-relay/core";
import { SyntheticTenant, startHuntingEmulator } from "@xdr-relay/emulators";
import { enqueueBackfill } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
import { runRoles } from "../../packages/cli/src/roles/run-roles.ts";
import { jsonLogger } from "../../packages/cli/src/wiring/logger.ts";
import { buildPipeline, type Pipeline } from "../../packages/cli/src/wiring/pipeline.ts";
import { tempDirs } from "./temp-dir.ts";

const minute = 60_000;
const hourMs = 60 * minute;
const windowMs = 5 * minute;
const tenantId = "contoso";
const queries = ["alert-info", "alert-evidence"];

/**
 * The fetcher role, in process on the embedded queue against the hunting emulator: a big backfill
 * is queued on its lane and being fetched when a scheduled window arrives on the live lane. The
 * live window is fetched within a slot's worth of windows, long before the backfill drains; the
 * backfill's retries and halves stay in its lane. Order is measured in hunting calls, not time.
 */
describe("the backfill lane", () => {
  const tempDir = tempDirs();

  it("does not make a live window wait behind a big backfill, and keeps the backfill's retries and halves in its lane", async () => {
    const dir = tempDir("xdr-backfill-lane-");
    const toMs = alignDown(Date.now() - 3 * hourMs, hourMs);
    const fromMs = toMs - 8 * hourMs;
    const tenant = new SyntheticTenant({ id: tenantId, seed: 3, startMs: fromMs, endMs: toMs + hourMs, alertsPerHour: 20 });
    await using hunting = await startHuntingEmulator({ tenants: [tenant], callsPerMinute: Number.POSITIVE_INFINITY });
    const config = RelayConfig.parse({
      dataDir: join(dir, "data"),
      auth: "none",
      hunting: { url: hunting.tenantUrlTemplate, callsPerMinute: 100_000, callsPerHour: 1_000_000 },
      ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-unused" },
      schedule: { windowMs, resweepOffsetsMs: [] },
      tenants: [{ id: tenantId, queries }],
    });
    const base = buildPipeline(
      config,
      jsonLogger("error", () => {}),
    );
    const throttled = windowTimespan({ startMs: fromMs + 10 * windowMs, endMs: fromMs + 11 * windowMs });
    const truncated = windowTimespan({ startMs: fromMs + 20 * windowMs, endMs: fromMs + 21 * windowMs });
    const { hunting: recording, calls } = faultyHunting(base.hunting, { throttled, truncated });
    const { client, sent } = recordingClient(base.queue.client);
    const pipeline: Pipeline = { ...base, hunting: recording, queue: { ...base.queue, client } };
    const stats = (name: string) => pipeline.queue.depth?.(name);
    try {
      // A backfill window an older version left on the live queue: still fetched.
      const legacy = newWindow({
        tenant: tenantId,
        query: "alert-info",
        range: { startMs: toMs, endMs: toMs + windowMs },
        origin: "backfill",
      });
      await client.createSender("windows").sendMessages([{ messageId: "p-legacy", body: legacy }]);
      // 8 hours of 5-minute windows, 2 queries: 192 windows on the backfill lane.
      const backfill = await enqueueBackfill({
        request: { tenant: tenantId, queries, fromMs, toMs, windowMs, nowMs: Date.now() },
        lanes: { backfill: client.createSender("windows-backfill"), live: client.createSender("windows") },
        logger: pipeline.logger,
      });
      expect(backfill.windows).toBe(192);
      expect(stats("windows-backfill")?.active).toBe(192);

      const slots = 2;
      const done = runRoles(pipeline, {
        roles: ["fetcher"],
        untilIdle: true,
        fetchConcurrency: slots,
        signal: new AbortController().signal,
      });
      while (calls.length < 40) await new Promise((r) => setTimeout(r, 2));
      // The scheduler's window arrives on the live lane while the backfill is being fetched.
      const live = newWindow({
        tenant: tenantId,
        query: "alert-evidence",
        range: { startMs: toMs + windowMs, endMs: toMs + 2 * windowMs },
        origin: "schedule",
      });
      const callsBefore = calls.length;
      await client.createSender("windows").sendMessages([{ messageId: windowMessageId(live), body: live }]);
      await done;

      const liveAt = calls.indexOf(windowTimespan({ startMs: toMs + windowMs, endMs: toMs + 2 * windowMs }));
      expect(
        calls.indexOf(windowTimespan({ startMs: toMs, endMs: toMs + windowMs })),
        "the old backfill window on the live lane",
      ).toBeLessThan(slots);
      // Each slot finishes the window in hand, and may have just looked at the live lane: at most
      // one more backfill window per slot starts before the live one.
      expect(liveAt - callsBefore, `live window fetched as call ${liveAt}, enqueued after ${callsBefore}`).toBeLessThanOrEqual(
        slots,
      );
      const backfillCalls = 192 + 1 + 2; // every window, the throttled one again, the split one's two halves
      expect(calls.length).toBe(backfillCalls + 2); // and the live and the legacy window
      expect(calls.length - liveAt, "backfill windows still to fetch after the live one").toBeGreaterThan(100);

      // The 429's retry copy and the split window's halves went back to the backfill lane; the
      // live lane got only the two windows put there.
      expect(sent.filter((s) => s.queue === "windows").map((s) => s.origin)).toEqual(["backfill", "schedule"]);
      const backfillLane = sent.filter((s) => s.queue === "windows-backfill");
      expect(
        backfillLane.filter((s) => s.scheduled).map((s) => s.origin),
        "the 429's retry copy",
      ).toEqual(["backfill"]);
      expect(
        backfillLane.filter((s) => s.depth === 1).map((s) => s.origin),
        "the halves",
      ).toEqual(["backfill", "backfill"]);
      for (const name of ["windows", "windows-backfill"]) {
        expect(stats(name), name).toMatchObject({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });
      }
    } finally {
      await base.close();
    }
  }, 120_000);
});

/**
 * Every hunting call's timespan in the order made; the `throttled` window of alert-info is
 * answered 429 once and the `truncated` one "too big" once (it is split).
 */
function faultyHunting(hunting: HuntingApi, faults: { throttled: string; truncated: string }) {
  const calls: string[] = [];
  const faulted = new Set<string>();
  const api: HuntingApi = {
    runHuntingQuery: async (request) => {
      calls.push(request.timespan);
      const { timespan } = request;
      const due = request.query.includes("AlertInfo") && !faulted.has(timespan);
      if (due && timespan === faults.throttled) {
        faulted.add(timespan);
        throw new ThrottledError("429", { retryAfterMs: 200 });
      }
      if (due && timespan === faults.truncated) {
        faulted.add(timespan);
        throw new TruncatedResultError("result too big");
      }
      await new Promise((r) => setTimeout(r, 5));
      return hunting.runHuntingQuery(request);
    },
  };
  return { hunting: api, calls };
}

/** The queue client, recording each message sent: to which queue, its origin and depth, whether scheduled. */
function recordingClient(inner: QueueClient) {
  const sent: { queue: string; origin: unknown; depth: unknown; scheduled: boolean }[] = [];
  const client: QueueClient = {
    createSender: (name) => {
      const sender = inner.createSender(name);
      return {
        sendMessages: async (messages) => {
          await sender.sendMessages(messages);
          for (const m of messages) {
            const body = m.body as { origin?: unknown; depth?: unknown };
            sent.push({ queue: name, origin: body.origin, depth: body.depth, scheduled: !!m.scheduledEnqueueTimeUtc });
          }
        },
        close: () => sender.close(),
      };
    },
    createReceiver: (name, options) => inner.createReceiver(name, options),
    close: () => inner.close(),
  };
  return { client, sent };
}
