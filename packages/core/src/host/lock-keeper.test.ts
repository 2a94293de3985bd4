import { describe, expect, it } from "vitest";
import type { QueueReceiver, ReceivedMessage } from "../ports/queue.ts";
import { CounterMetrics, type LogFields, systemClock } from "../ports/runtime.ts";
import { LockKeeper } from "./lock-keeper.ts";
import { receivedMessage } from "./queue-fakes.ts";

/** A receiver whose renewals extend by `lockMs`, or fail when `lost` says so. */
function renewingReceiver(lockMs: number, lost: (m: ReceivedMessage) => boolean) {
  const renewals: string[] = [];
  const receiver = {
    renewMessageLock: async (m: ReceivedMessage) => {
      renewals.push(m.messageId);
      if (lost(m)) throw new Error("the lock expired");
      const until = new Date(Date.now() + lockMs);
      (m as { lockedUntilUtc: Date | undefined }).lockedUntilUtc = until;
      return until;
    },
  } as unknown as QueueReceiver;
  return { receiver, renewals };
}

function locked(id: string, lockMs: number): ReceivedMessage {
  return { ...receivedMessage(id), lockedUntilUtc: new Date(Date.now() + lockMs) };
}

describe("LockKeeper", () => {
  it("renews held locks before half of them is left, stops at release, and warns once on a lost lock", async () => {
    const lockMs = 200;
    const { receiver, renewals } = renewingReceiver(lockMs, (m) => m.messageId === "lost");
    const warnings: { event: string; fields?: LogFields }[] = [];
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (event: string, fields?: LogFields) => void warnings.push({ event, fields }),
    };
    const metrics = new CounterMetrics();
    const keeper = new LockKeeper({ queueName: "rows", receiver, clock: systemClock, logger, metrics });
    const kept = locked("kept", lockMs);
    const released = locked("released", lockMs);
    keeper.hold(kept);
    keeper.hold(released);
    keeper.hold(locked("lost", lockMs));
    keeper.hold(receivedMessage("unlocked")); // no lock (lockedUntilUtc undefined): nothing to keep
    keeper.release(released);
    await systemClock.sleep(700);
    await keeper.close();
    const count = (id: string) => renewals.filter((r) => r === id).length;
    expect(count("kept")).toBeGreaterThanOrEqual(3);
    expect([count("released"), count("lost"), count("unlocked")]).toEqual([0, 1, 0]);
    expect(kept.lockedUntilUtc?.getTime()).toBeGreaterThan(Date.now() - lockMs);
    expect(warnings.map((w) => [w.event, w.fields?.["messageId"]])).toEqual([["lockRenewFailed", "lost"]]);
    expect(metrics.get("rowsLockRenewed")).toBe(count("kept"));
  });
});
