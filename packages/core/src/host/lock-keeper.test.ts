import { describe, expect, it } from "vitest";
import type { QueueReceiver, ReceivedMessage } from "../ports/queue.ts";
import { CounterMetrics, type LogFields } from "../ports/runtime.ts";
import { LockKeeper } from "./lock-keeper.ts";
import { ManualClock, receivedMessage } from "./queue-fakes.ts";

const lockMs = 1_000;

/** Shaped like the Service Bus SDK's error for a lock that is gone (core cannot import the adapters). */
const lockLost = () =>
  Object.assign(new Error("The lock supplied is invalid"), { name: "ServiceBusError", code: "MessageLockLost" });

/** A receiver whose renewals extend by `lockMs` on `clock`, unless `fail` returns an error to throw. */
function renewingReceiver(clock: ManualClock, fail: (m: ReceivedMessage, attempt: number) => Error | undefined) {
  const renewals: string[] = [];
  const receiver = {
    renewMessageLock: async (m: ReceivedMessage) => {
      renewals.push(m.messageId);
      const error = fail(m, renewals.filter((id) => id === m.messageId).length);
      if (error !== undefined) throw error;
      const until = new Date(clock.now() + lockMs);
      (m as { lockedUntilUtc: Date | undefined }).lockedUntilUtc = until;
      return until;
    },
  } as unknown as QueueReceiver;
  return { receiver, renewals, count: (id: string) => renewals.filter((r) => r === id).length };
}

function setUp(fail: (m: ReceivedMessage, attempt: number) => Error | undefined) {
  const clock = new ManualClock();
  const { receiver, count } = renewingReceiver(clock, fail);
  const warnings: { event: string; fields?: LogFields }[] = [];
  const logger = {
    debug() {},
    info() {},
    error() {},
    warn: (event: string, fields?: LogFields) => void warnings.push({ event, fields }),
  };
  const metrics = new CounterMetrics();
  const keeper = new LockKeeper({ queueName: "rows", receiver, clock, logger, metrics });
  const locked = (id: string): ReceivedMessage => ({ ...receivedMessage(id), lockedUntilUtc: new Date(clock.now() + lockMs) });
  const events = () => warnings.map((w) => [w.event, w.fields?.["messageId"], w.fields?.["reason"]]);
  return { clock, keeper, metrics, count, locked, events };
}

describe("LockKeeper", () => {
  it("renews held locks before half of them is left, stops at release, and gives up at once on a lost lock", async () => {
    const { clock, keeper, metrics, count, locked, events } = setUp((m) => (m.messageId === "lost" ? lockLost() : undefined));
    const kept = locked("kept");
    const released = locked("released");
    keeper.hold(kept);
    keeper.hold(released);
    keeper.hold(locked("lost"));
    keeper.hold(receivedMessage("unlocked")); // no lock (lockedUntilUtc undefined): nothing to keep
    keeper.release(released);
    await clock.advance(3_500);
    await keeper.close();
    expect(count("kept")).toBeGreaterThanOrEqual(4);
    expect([count("released"), count("lost"), count("unlocked")]).toEqual([0, 1, 0]);
    expect(kept.lockedUntilUtc?.getTime()).toBeGreaterThan(clock.now());
    expect(events()).toEqual([["lockRenewFailed", "lost", "lockLost"]]);
    expect([metrics.get("rowsLockRenewed"), metrics.get("lockRenewRetried"), metrics.get("lockRenewFailed")]).toEqual([
      count("kept"),
      0,
      1,
    ]);
  });

  it("keeps renewing a message being settled (a slow settlement keeps its lock), and says nothing of a renewal that met it", async () => {
    const { clock, keeper, metrics, count, locked, events } = setUp((m, attempt) =>
      m.messageId === "settled" && attempt > 1 ? lockLost() : undefined,
    );
    const slow = locked("slow");
    keeper.hold(slow);
    let finishSlow: () => void = () => undefined;
    const slowSettling = keeper.keepWhileSettling(slow, () => new Promise<void>((r) => (finishSlow = r)));
    const settled = locked("settled");
    keeper.hold(settled);
    const settledSettling = keeper.keepWhileSettling(settled, () => new Promise<void>(() => undefined));
    await clock.advance(3_000);
    expect(keeper.size).toBe(2);
    finishSlow();
    await slowSettling;
    expect(keeper.size).toBe(1); // released once its settlement ended
    void settledSettling;
    await keeper.close();
    expect(count("slow")).toBeGreaterThanOrEqual(4);
    expect(slow.lockedUntilUtc?.getTime()).toBeGreaterThan(clock.now());
    expect(events()).toEqual([]);
    expect(metrics.get("lockRenewFailed")).toBe(0);
  });

  it("retries a renewal that failed once (a busy database) and keeps the lock, so the message is not redelivered mid-work", async () => {
    const { clock, keeper, metrics, count, locked, events } = setUp((_m, attempt) =>
      attempt === 1 ? new Error("SQLITE_BUSY: database is locked") : undefined,
    );
    const busy = locked("busy");
    keeper.hold(busy);
    await clock.advance(3_000);
    expect(keeper.size).toBe(1);
    expect(busy.lockedUntilUtc?.getTime()).toBeGreaterThan(clock.now());
    await keeper.close();
    expect(count("busy")).toBeGreaterThanOrEqual(4);
    expect(events()).toEqual([["lockRenewRetried", "busy", undefined]]);
    expect([metrics.get("lockRenewRetried"), metrics.get("lockRenewFailed")]).toEqual([1, 0]);
  });

  it("retries a renewal that keeps failing until the lock has expired, a few times and not in a spin, then gives up", async () => {
    const { clock, keeper, metrics, count, locked, events } = setUp(() => new Error("connection reset"));
    keeper.hold(locked("down"));
    await clock.advance(5_000);
    await keeper.close();
    // Tries start at half the lock left (500 ms) and happen at most once per check (250 ms here).
    expect(count("down")).toBeGreaterThanOrEqual(2);
    expect(count("down")).toBeLessThanOrEqual(4);
    expect(keeper.size).toBe(0);
    expect(events().at(-1)).toEqual(["lockRenewFailed", "down", "lockExpired"]);
    expect([metrics.get("lockRenewRetried"), metrics.get("lockRenewFailed")]).toEqual([count("down") - 1, 1]);
  });

  it("retries nothing after close, and close waits for a renewal in flight", async () => {
    const clock = new ManualClock();
    let finish: (error: Error) => void = () => {};
    const receiver = {
      renewMessageLock: () => new Promise<Date>((_resolve, reject) => (finish = reject)),
    } as unknown as QueueReceiver;
    const metrics = new CounterMetrics();
    const keeper = new LockKeeper({
      queueName: "rows",
      receiver,
      clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      metrics,
    });
    keeper.hold({ ...receivedMessage("m"), lockedUntilUtc: new Date(lockMs) });
    await clock.advance(800); // a renewal starts at 750 ms (less than half of the lock left)
    let closed = false;
    const closing = keeper.close().then(() => (closed = true));
    await clock.advance(0);
    expect(closed).toBe(false);
    finish(new Error("receiver closed"));
    await closing;
    expect([metrics.get("lockRenewRetried"), metrics.get("lockRenewFailed")]).toEqual([0, 0]);
  });
});
