import { CounterMetrics, type OutgoingMessage, type QueryWindow, silentLogger, windowMessageId } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { checkpointKey } from "./checkpoint-key.ts";
import { planTick, type ScheduleDeps } from "./plan-tick.ts";
import { barrier, MemoryCheckpointStore, RecordingSender } from "./scheduler-fakes.ts";

const min = 60_000;
const t0 = Date.parse("2026-11-26T10:00:00.000Z");
const at = (minutes: number) => t0 + minutes * min;
/** Window 5 min, lag 10 min; re-sweeps 60 and 120 min after the first pass. */
const lag = 10;

function scheduler(
  options: { store?: MemoryCheckpointStore; startAtMs?: number; maxWindowsPerTick?: number; offsets?: number[] } = {},
) {
  const store = options.store ?? new MemoryCheckpointStore();
  const sender = new RecordingSender();
  /** Each message with the minute of the tick that sent it. */
  const log: { now: number; message: OutgoingMessage }[] = [];
  const deps: ScheduleDeps = {
    store,
    windows: {
      sendMessages: async (messages) => {
        await sender.sendMessages(messages);
        for (const message of messages) log.push({ now: currentNow, message });
      },
      close: async () => undefined,
    },
    windowMs: 5 * min,
    lagMs: lag * min,
    maxWindowsPerTick: options.maxWindowsPerTick ?? 288,
    startAtMs: options.startAtMs,
    resweepOffsetsMs: (options.offsets ?? [60, 120]).map((m) => m * min),
    logger: silentLogger,
    metrics: new CounterMetrics(),
  };
  let currentNow = 0;
  const tick = (nowMinutes: number) => {
    currentNow = nowMinutes;
    return planTick(deps, "contoso", "alert-info", at(nowMinutes));
  };
  return { store, sender, log, tick };
}

interface Sent {
  readonly startMin: number;
  readonly sweep: number;
  readonly origin: string;
  readonly id: string;
}
const sentOf = (messages: readonly OutgoingMessage[]): Sent[] =>
  messages.map((m) => {
    const w = m.body as QueryWindow;
    return { startMin: (Date.parse(w.start) - t0) / min, sweep: w.sweep, origin: w.origin, id: m.messageId };
  });
/** Window starts (minutes after t0) one pass sent, sorted, once each. */
const startsOf = (sent: readonly Sent[], sweep: number) =>
  [...new Set(sent.filter((s) => s.sweep === sweep).map((s) => s.startMin))].sort((a, b) => a - b);
/** Grid starts from `from` up to (not including) `to`, in minutes. */
const starts = (from: number, to: number) => Array.from({ length: (to - from) / 5 }, (_, i) => from + 5 * i);

describe("planTick with late-arrival re-sweeps", () => {
  it("queries each window again once per offset, as soon as it has aged by lag + offset", async () => {
    const s = scheduler({ startAtMs: at(0) });
    for (let now = 0; now <= 300; now++) await s.tick(now);

    const sent = s.log.flatMap(({ now, message }) => sentOf([message]).map((m) => ({ now, ...m })));
    for (const [sweep, offset] of [
      [0, 0],
      [1, 60],
      [2, 120],
    ] as const) {
      const pass = sent.filter((m) => m.sweep === sweep);
      // Ticks are a minute apart: each window goes out on the very minute its end + lag + offset is reached.
      for (const m of pass) expect(m.now).toBe(m.startMin + 5 + lag + offset);
      expect(pass.map((m) => m.startMin)).toEqual(starts(0, 300 - lag - offset));
      expect(new Set(pass.map((m) => m.origin))).toEqual(new Set([sweep === 0 ? "schedule" : "resweep"]));
    }
    expect(s.store.values.get(checkpointKey("contoso", "alert-info", 1))?.value).toBe(String(at(230)));
    expect(s.store.values.get(checkpointKey("contoso", "alert-info", 2))?.value).toBe(String(at(170)));
  });

  it("gives every pass over a window its own message id, so duplicate detection keeps the re-sweeps", async () => {
    const s = scheduler({ startAtMs: at(0) });
    await s.tick(15);
    await s.tick(75);
    await s.tick(135);
    const first = sentOf(s.sender.sent).filter((m) => m.startMin === 0);
    expect(first.map((m) => m.sweep)).toEqual([0, 1, 2]);
    expect(new Set(first.map((m) => m.id)).size).toBe(3);
    for (const m of s.sender.sent) expect(m.messageId).toBe(windowMessageId(m.body as QueryWindow));
  });

  it("starts a new deployment's re-sweeps where its first pass started, not earlier", async () => {
    const s = scheduler();
    for (let now = 37; now <= 400; now += 3) await s.tick(now);
    const sent = sentOf(s.sender.sent);
    // The first tick, at 10:37, starts the first pass at [10:20, 10:25): no pass looks before it.
    expect(startsOf(sent, 0)[0]).toBe(20);
    expect(startsOf(sent, 1)).toEqual(starts(20, 330));
    expect(startsOf(sent, 2)).toEqual(starts(20, 270));
  });

  it("starts the re-sweeps of a deployment that ran before them where its first pass is now", async () => {
    const store = new MemoryCheckpointStore();
    await store.write(checkpointKey("contoso", "alert-info"), String(at(60)), undefined);
    const s = scheduler({ store });
    for (let now = 70; now <= 300; now += 5) await s.tick(now);
    const sent = sentOf(s.sender.sent);
    expect(startsOf(sent, 0)).toEqual(starts(60, 290));
    expect(startsOf(sent, 1)).toEqual(starts(60, 230));
    expect(startsOf(sent, 2)).toEqual(starts(60, 170));
  });

  it("catches up each pass in bounded steps", async () => {
    const s = scheduler({ startAtMs: at(0), maxWindowsPerTick: 4 });
    // At 3:00 the first pass has 34 windows due, the +1 h pass 22, the +2 h pass 10.
    expect(await s.tick(180)).toEqual({ enqueued: 12, remaining: 30 + 18 + 6 });
    expect(s.sender.sends.map((send) => send.length)).toEqual([4, 4, 4]);
  });

  it.each([
    ["with a start time, at the same instant", at(0), 0, 0],
    ["with a start time, one behind the other", at(0), 0, 7],
    ["a new deployment, one behind the other", undefined, 0, 7],
    ["a new deployment, the later one first", undefined, 7, 0],
  ])("lets two schedulers race without skipping or doubling a window in any pass (%s)", async (_, startAtMs, skewA, skewB) => {
    const store = new MemoryCheckpointStore();
    const a = scheduler({ store, startAtMs, maxWindowsPerTick: 3 });
    const b = scheduler({ store, startAtMs, maxWindowsPerTick: 3 });
    for (let now = 37; now <= 400; now += 4) {
      store.beforeRead = barrier(2);
      await Promise.all([a.tick(now + skewA), b.tick(now + skewB)]);
    }
    while ((await a.tick(600)).remaining > 0);

    expect(store.lostWrites).toBeGreaterThan(0);
    const sent = sentOf([...a.sender.sent, ...b.sender.sent]);
    const idOf = new Map<string, string>();
    for (const m of sent) {
      // Whoever sends a pass over a window sends it under one id, so the queue collapses the copies.
      const pass = `${m.startMin}/${m.sweep}`;
      expect(idOf.get(pass) ?? m.id).toBe(m.id);
      idOf.set(pass, m.id);
    }
    expect(new Set(idOf.values()).size).toBe(idOf.size);
    const origin = startsOf(sent, 0)[0] ?? Number.NaN;
    expect(startsOf(sent, 0)).toEqual(starts(origin, 590));
    expect(startsOf(sent, 1)).toEqual(starts(origin, 530));
    expect(startsOf(sent, 2)).toEqual(starts(origin, 470));
  });

  it("refuses a pinned origin that is not a time", async () => {
    const store = new MemoryCheckpointStore();
    await store.write("schedule/contoso/alert-info/origin", "yesterday", undefined);
    await expect(scheduler({ store }).tick(60)).rejects.toThrow("schedule/contoso/alert-info/origin");
  });
});
