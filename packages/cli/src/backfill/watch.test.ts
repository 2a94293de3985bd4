import type { ReceivedMessage } from "@xdr-relay/core";
import { addToBackfillTally, type BackfillRun, emptyTally, recordBackfillRun } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
// The scheduler package's in-memory store, with the compare-and-swap contract of the real ones.
import { MemoryCheckpointStore } from "../../../scheduler/src/scheduler-fakes.ts";
import type { OpenedQueue } from "../wiring/open-queue.ts";
import { watchBackfill } from "./watch.ts";

const minute = 60_000;
const t0 = Date.parse("2026-11-20T00:00:00.000Z");
const run: BackfillRun = {
  id: "b-test",
  startedAtMs: Date.now() - 1_000,
  fromMs: t0,
  toMs: t0 + 20 * minute,
  windowMs: 5 * minute,
  tenants: [{ id: "contoso", queries: ["alert-info"] }],
  windows: 4,
};

function windowMessage(i: number, seq: number): ReceivedMessage {
  const start = t0 + i * 5 * minute;
  return {
    messageId: `m${i}`,
    body: { tenant: "contoso", query: "alert-info", start: iso(start), end: iso(start + 5 * minute), origin: "backfill" },
    deliveryCount: 0,
    sequenceNumber: seq,
    enqueuedTimeUtc: new Date(),
    lockedUntilUtc: undefined,
  };
}
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A backfill lane that a fake fetcher empties by one window per look; the last is dead-lettered.
 * The live lane is empty.
 */
function drainingQueue(): OpenedQueue {
  let queued = [0, 1, 2, 3].map((i) => windowMessage(i, i + 1));
  const dead: ReceivedMessage[] = [];
  let looks = 0;
  return {
    client: {} as OpenedQueue["client"],
    depth: () => ({ active: 0, scheduled: 0, locked: 0, deadLettered: dead.length, duplicatesDropped: 0 }),
    peek: async (queue, options) => {
      if (queue !== "windows-backfill") return [];
      if (options.subQueue === "deadLetter") return dead;
      if (looks++ > 0 && queued.length > 0) {
        const [first, ...rest] = queued;
        if (rest.length === 0 && first) dead.push(first);
        queued = rest;
      }
      return queued;
    },
  };
}

/** A backfill lane holding these windows, as they stay for a `backfill status` without `--watch`. */
function standingQueue(windows: readonly number[]): OpenedQueue {
  const queued = windows.map((i) => windowMessage(i, i + 1));
  return {
    client: {} as OpenedQueue["client"],
    depth: undefined,
    peek: async (queue, o) => (queue === "windows-backfill" && !o.subQueue ? queued : []),
  };
}

async function watch(
  isTTY: boolean,
  recorded: BackfillRun = run,
  more: {
    queue?: OpenedQueue;
    once?: boolean;
    callsPerMinute?: number;
    tally?: (store: MemoryCheckpointStore) => Promise<unknown>;
    signal?: AbortSignal;
  } = {},
) {
  const store = new MemoryCheckpointStore();
  await recordBackfillRun(store, recorded);
  await more.tally?.(store);
  let text = "";
  const out = { isTTY, write: (t: string) => (text += t) };
  const code = await watchBackfill({
    run: recorded,
    queue: more.queue ?? drainingQueue(),
    store,
    budgetOf: () => ({ callsPerMinute: more.callsPerMinute ?? 45, callsPerHour: 1_500 }),
    signal: more.signal ?? new AbortController().signal,
    ...(more.once && { once: true }),
    out,
    pollMs: 1,
    logEveryMs: 60_000,
    settleMs: 0,
  });
  return { code, text };
}

describe("watchBackfill", () => {
  it("redraws one line on a terminal and ends with the report, exit 1 when windows were dead-lettered", async () => {
    const { code, text } = await watch(true);
    expect(code).toBe(1);
    const [progress, ...report] = text.split("\n");
    expect(
      progress
        ?.split("\r")
        .filter(Boolean)
        .map((l) => l.split(" windows")[0]),
    ).toEqual([
      "[>                       ]   0% 0/4",
      "[======>                 ]  25% 1/4",
      "[============>           ]  50% 2/4",
      "[==================>     ]  75% 3/4",
      "[==================>     ]  75% 3/4",
    ]);
    expect(report[0]).toMatch(/^backfill b-test: 3 of 4 windows fetched; /); // no fetcher counted, so no end to tell
    expect(report[1]).toContain("1 window was dead-lettered");
  });

  it("prints a line now and then in a log, not a redraw per look", async () => {
    const { text } = await watch(false);
    expect(text).not.toContain("\r");
    // The first look, then nothing for a minute (logEveryMs), then the last.
    expect(text.split("\n").filter((l) => l.startsWith("["))).toHaveLength(2);
  });

  it("says plainly when the backfill's process died mid-enqueue, and does not count the unsent windows as done", async () => {
    // Its enqueue record was last written two minutes ago, after 4 of its 5 windows were sent.
    const stopped: BackfillRun = { ...run, windows: 5, enqueue: { sent: 4, complete: false, atMs: Date.now() - 2 * minute } };
    const { code, text } = await watch(false, stopped);
    expect(code).toBe(1);
    const notice =
      "enqueue incomplete: 4 of 5 windows sent — run the same backfill again " +
      "(`xdr-relay backfill --from 2026-11-20T00:00:00.000Z --to 2026-11-20T00:20:00.000Z`, " +
      "configured for the same tenants and queries: contoso (alert-info)) to send the rest";
    const lines = text.split("\n");
    expect(lines[0]).toContain("0/5 windows");
    expect(lines[0]).toContain(notice);
    expect(lines).toContain(notice);
    expect(text).toMatch(/backfill b-test: 3 of 5 windows fetched; /); // no fetcher counted, so no end to tell
  });

  it("stopped watching a backfill whose enqueue stopped, does not say it goes on", async () => {
    const stopped: BackfillRun = { ...run, windows: 5, enqueue: { sent: 4, complete: false, atMs: Date.now() - 2 * minute } };
    const { code, text } = await watch(false, stopped, { signal: AbortSignal.abort() });
    expect(code).toBe(130);
    expect(text).toContain("stopped watching; its queued windows are fetched, the rest only once it is run again (see above)");
    expect(text).not.toContain("the backfill goes on");
  });

  it("says when all windows went out but the run was not recorded as finished", async () => {
    const stopped: BackfillRun = { ...run, enqueue: { sent: 4, complete: false, atMs: Date.now() - 2 * minute } };
    const { text } = await watch(false, stopped);
    expect(text).toContain(
      "enqueue not recorded as finished: all 4 windows sent, late-arrival re-sweeps maybe not — run the same backfill again " +
        "(`xdr-relay backfill --from 2026-11-20T00:00:00.000Z --to 2026-11-20T00:20:00.000Z`, " +
        "configured for the same tenants and queries: contoso (alert-info)) to finish it",
    );
  });

  it("says a finished run took from its start to its last window, however long ago, and gives it no ETA", async () => {
    const long: BackfillRun = { ...run, startedAtMs: Date.now() - 60 * minute };
    // The fetchers last added to its tally 71 s after it started.
    const tally = (store: MemoryCheckpointStore) =>
      addToBackfillTally(store, long.id, { ...emptyTally, calls: 4 }, long.startedAtMs + 71_000);
    const { code, text } = await watch(false, long, { queue: standingQueue([]), once: true, tally });
    expect(code).toBe(0);
    const [line, report] = text.split("\n");
    expect(line).not.toContain("ETA");
    expect(report).toMatch(/^backfill b-test: 4 of 4 windows fetched in 1m 11s;/);
  });

  it("says nothing of how long a finished run took when its tally does not say when it ended", async () => {
    const { text } = await watch(false, run, { queue: standingQueue([]), once: true });
    expect(text).toMatch(/^backfill b-test: 4 of 4 windows fetched; /m);
  });

  it("counts the minute of budget already spent in the ETA while windows wait for the next", async () => {
    // 38 of 48 windows fetched within the first 5 s, 10 left: at 40 a minute, the 48 calls take 70.5 s from the start.
    const busy: BackfillRun = { ...run, startedAtMs: Date.now() - 5_000, toMs: t0 + 48 * 5 * minute, windows: 48 };
    const queue = standingQueue([38, 39, 40, 41, 42, 43, 44, 45, 46, 47]);
    const { text } = await watch(false, busy, { queue, once: true, callsPerMinute: 40 });
    expect(text).toMatch(/ETA ≥ 1m \d+s/);
  });
});
