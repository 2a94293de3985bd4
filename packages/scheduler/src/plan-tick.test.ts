import {
  CounterMetrics,
  gridWindows,
  type OutgoingMessage,
  type QueryWindow,
  silentLogger,
  type TimeRange,
  windowMessageId,
} from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { checkpointKey } from "./checkpoint-key.ts";
import { planTick, type ScheduleDeps } from "./plan-tick.ts";
import { barrier, MemoryCheckpointStore, RecordingSender } from "./scheduler-fakes.ts";

const min = 60_000;
const t0 = Date.parse("2026-11-26T10:00:00.000Z");
/** `t0` plus minutes. */
const at = (minutes: number) => t0 + minutes * min;
const key = checkpointKey("contoso", "alert-info");

function scheduler(options: { store?: MemoryCheckpointStore; startAtMs?: number; maxWindowsPerTick?: number } = {}) {
  const store = options.store ?? new MemoryCheckpointStore();
  const sender = new RecordingSender();
  const metrics = new CounterMetrics();
  const deps: ScheduleDeps = {
    store,
    windows: sender,
    windowMs: 5 * min,
    lagMs: 10 * min,
    maxWindowsPerTick: options.maxWindowsPerTick ?? 288,
    startAtMs: options.startAtMs,
    logger: silentLogger,
    metrics,
  };
  const tick = (nowMinutes: number) => planTick(deps, "contoso", "alert-info", at(nowMinutes));
  const checkpoint = () => store.values.get(key)?.value;
  return { store, sender, metrics, tick, checkpoint };
}

/** The windows a list of messages asks for, as minutes after t0. */
const windowsOf = (messages: readonly OutgoingMessage[]) =>
  messages.map((m) => {
    const w = m.body as QueryWindow;
    return [(Date.parse(w.start) - t0) / min, (Date.parse(w.end) - t0) / min];
  });
const grid = (fromMinutes: number, toMinutes: number) =>
  gridWindows(at(fromMinutes), at(toMinutes), 5 * min).map((r: TimeRange) => [(r.startMs - t0) / min, (r.endMs - t0) / min]);

describe("planTick", () => {
  it("starts a query with no checkpoint at the last whole window due now", async () => {
    const s = scheduler();
    // now 10:37, lag 10 min: 10:27 aligns down to 10:25, so [10:20, 10:25) is the last window due.
    expect(await s.tick(37)).toEqual({ enqueued: 1, remaining: 0 });
    expect(windowsOf(s.sender.sent)).toEqual([[20, 25]]);
    expect(s.checkpoint()).toBe(String(at(25)));
  });

  it("starts from startAt when configured, and sends schedule windows with deterministic ids", async () => {
    const s = scheduler({ startAtMs: at(0) });
    expect(await s.tick(30)).toEqual({ enqueued: 4, remaining: 0 });
    expect(windowsOf(s.sender.sent)).toEqual(grid(0, 20));
    for (const m of s.sender.sent) {
      expect(m.body).toMatchObject({
        version: 1,
        tenant: "contoso",
        query: "alert-info",
        attempt: 0,
        depth: 0,
        origin: "schedule",
        sweep: 0,
      });
      expect(m.messageId).toBe(windowMessageId(m.body as QueryWindow));
    }
    expect(s.metrics.get("windowsEnqueued")).toBe(4);
  });

  it.each([
    ["before the first window has aged by the lag", 14.999, { enqueued: 0, remaining: 0 }, []],
    ["once it has", 15, { enqueued: 1, remaining: 0 }, [[0, 5]]],
  ])("enqueues nothing %s", async (_, now, result, windows) => {
    const s = scheduler({ startAtMs: at(0) });
    expect(await s.tick(now)).toEqual(result);
    expect(windowsOf(s.sender.sent)).toEqual(windows);
  });

  it("writes no checkpoint while nothing is due", async () => {
    const s = scheduler({ startAtMs: at(0) });
    await s.tick(10);
    expect(s.checkpoint()).toBeUndefined();
  });

  it("catches up after downtime in bounded steps, reporting what remains", async () => {
    const s = scheduler({ startAtMs: at(0), maxWindowsPerTick: 4 });
    const results = [await s.tick(70), await s.tick(70), await s.tick(70), await s.tick(70)];
    expect(results).toEqual([
      { enqueued: 4, remaining: 8 },
      { enqueued: 4, remaining: 4 },
      { enqueued: 4, remaining: 0 },
      { enqueued: 0, remaining: 0 },
    ]);
    expect(s.sender.sends.map((send) => send.length)).toEqual([4, 4, 4]);
    expect(windowsOf(s.sender.sent)).toEqual(grid(0, 60));
  });

  it("starts no earlier than Defender's 30 days (plus a leeway), counting the windows passed over, after a month down or a startAt long past", async () => {
    const day = 24 * 60;
    const s = scheduler({ startAtMs: at(-400 * day), maxWindowsPerTick: 10_000 });
    // now = t0 + 70 min: the oldest data is t0 + 70 min − 30 days; +15 min leeway → t0 − 30 days + 85 min → aligned up to +85.
    const result = await s.tick(70);
    const first = windowsOf(s.sender.sent)[0];
    expect(first).toEqual([-30 * day + 85, -30 * day + 90]);
    expect(result.enqueued).toBe((30 * day - 85 + 60) / 5);
    expect(s.metrics.get("windowsPastRetention")).toBe((370 * day + 85) / 5);
  });

  it("says the range it passed over once, though its checkpoint write lost a race first", async () => {
    const day = 24 * 60;
    const store = new MemoryCheckpointStore();
    const s = scheduler({ store, startAtMs: at(-40 * day), maxWindowsPerTick: 10_000 });
    let lost = false;
    const write = store.write.bind(store);
    store.write = async (key, value, etag) => {
      if (!lost && key === checkpointKey("contoso", "alert-info") && etag === undefined) {
        lost = true; // another scheduler moved the checkpoint first: re-read, plan again
        await write(key, String(at(-40 * day)), undefined);
        return undefined;
      }
      return write(key, value, etag);
    };
    await s.tick(70);
    expect(lost).toBe(true);
    expect(s.metrics.get("windowsPastRetention")).toBe((10 * day + 85) / 5);
  });

  it("re-sends identical message ids after a crash between the send and the checkpoint write", async () => {
    const store = new MemoryCheckpointStore();
    const crashed = scheduler({ store, startAtMs: at(0) });
    store.beforeWrite = async () => {
      // The checkpoint write after the send (not the pin of the pass's start before it).
      if (crashed.sender.sent.length > 0) throw new Error("process killed");
    };
    await expect(crashed.tick(40)).rejects.toThrow("process killed");
    store.beforeWrite = async () => undefined;

    const restarted = scheduler({ store, startAtMs: at(0) });
    await restarted.tick(45);
    const ids = (messages: readonly OutgoingMessage[]) => messages.map((m) => m.messageId);
    // The restart covers what the crashed tick sent under the same ids (the queue drops them), then goes on.
    expect(ids(restarted.sender.sent).slice(0, 6)).toEqual(ids(crashed.sender.sent));
    expect(windowsOf(restarted.sender.sent)).toEqual(grid(0, 35));
    expect(restarted.checkpoint()).toBe(String(at(35)));
  });

  it("lets two schedulers started minutes apart with no startAt agree on one start, so none of the windows between is skipped", async () => {
    const store = new MemoryCheckpointStore();
    const a = scheduler({ store });
    const b = scheduler({ store });
    let resume: () => void = () => undefined;
    const stalled = new Promise<void>((r) => {
      resume = r;
    });
    // A sends its first window, then stalls before writing its checkpoint.
    store.beforeWrite = async () => {
      if (a.sender.sent.length > 0) await stalled;
    };
    const first = a.tick(37);
    while (a.sender.sent.length === 0) await new Promise((r) => setTimeout(r, 1));
    store.beforeWrite = async () => undefined;
    await b.tick(52); // B starts 15 minutes later and writes the first checkpoint
    resume();
    await first;
    await b.tick(60);
    const sent = [...a.sender.sent, ...b.sender.sent];
    expect(new Set(windowsOf(sent).map(String))).toEqual(new Set(grid(20, 50).map(String)));
  });

  it.each([
    ["at the same instant", 0, 0],
    ["one behind the other", 0, 7],
    ["the later one first", 7, 0],
  ])("lets two schedulers race on one store without skipping a window (%s)", async (_, skewA, skewB) => {
    const store = new MemoryCheckpointStore();
    const a = scheduler({ store, startAtMs: at(0), maxWindowsPerTick: 3 });
    const b = scheduler({ store, startAtMs: at(0), maxWindowsPerTick: 3 });
    for (let now = 15; now <= 120; now += 4) {
      store.beforeRead = barrier(2);
      await Promise.all([a.tick(now + skewA), b.tick(now + skewB)]);
    }
    // Then one of them drains the backlog left by the bounded ticks.
    while ((await a.tick(200)).remaining > 0);

    expect(store.lostWrites).toBeGreaterThan(0);
    expect(b.sender.sent.length).toBeGreaterThan(0);
    const sent = [...a.sender.sent, ...b.sender.sent];
    const idOf = new Map<string, string>();
    for (const m of sent) {
      const w = m.body as QueryWindow;
      const window = `${w.start}/${w.end}`;
      // Whoever sends a window sends it under one id, so the queue collapses the copies.
      expect(idOf.get(window) ?? m.messageId).toBe(m.messageId);
      idOf.set(window, m.messageId);
    }
    const covered = [...new Set(windowsOf(sent).map((w) => w.join("-")))].sort(
      (x, y) => Number(x.split("-")[0]) - Number(y.split("-")[0]),
    );
    expect(covered).toEqual(grid(0, 190).map((w) => w.join("-")));
    expect(a.checkpoint()).toBe(String(at(190)));
  });

  it("refuses to run on a checkpoint that is not a time, rather than stalling silently", async () => {
    const store = new MemoryCheckpointStore();
    await store.write(key, "not-a-number", undefined);
    await expect(scheduler({ store }).tick(60)).rejects.toThrow(key);
  });
});
