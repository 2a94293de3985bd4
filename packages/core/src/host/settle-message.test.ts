import { describe, expect, it, vi } from "vitest";
import { deadLetter } from "../contracts/outcome.ts";
import { PermanentError } from "../errors.ts";
import type { ReceivedMessage } from "../ports/queue.ts";
import { CounterMetrics, silentLogger } from "../ports/runtime.ts";
import { FakeReceiver, FakeSender, fixedClock, type QueueLog, receivedMessage } from "./queue-fakes.ts";
import { settleForMs, settleMessage, settleWhenStoppingMs } from "./settle-message.ts";

const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
const lockLost = () => Object.assign(new Error("lock lost"), { name: "MessageLockLostError", code: "MessageLockLost" });

/** A queue whose next `failures` calls of one kind fail after taking effect or not, as a test says. */
function setup(lockedUntilMs = Number.POSITIVE_INFINITY) {
  const log: QueueLog = [];
  const receiver = new FakeReceiver([], log);
  const sender = new FakeSender(log);
  const clock = fixedClock(1_000);
  const metrics = new CounterMetrics();
  const options = { queueName: "rows", receiver, sender, clock, logger: silentLogger, metrics };
  const message: ReceivedMessage = { ...receivedMessage("m1"), lockedUntilUtc: new Date(lockedUntilMs) };
  return { log, receiver, sender, clock, metrics, options, message };
}

function failFirst<T extends object, K extends keyof T>(target: T, method: K, errors: (() => Error)[], tookEffect = false) {
  const original = (target[method] as (...a: unknown[]) => Promise<void>).bind(target);
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    const error = errors.shift();
    if (error === undefined) return original(...args);
    if (tookEffect) await original(...args); // e.g. the send committed, but its answer was lost
    throw error();
  };
}

describe("settleMessage", () => {
  it("tries a complete again after a failure that may pass, and counts no failure", async () => {
    const { receiver, metrics, options, message } = setup();
    failFirst(receiver, "completeMessage", [busy, busy]);
    await settleMessage(options, message, { kind: "completed" });
    expect(receiver.completed).toEqual(["m1"]);
    expect(metrics.get("settlementRetried")).toBe(2);
    expect(metrics.get("settlementFailed")).toBe(0);
    expect(metrics.get("rowsMessageCompleted")).toBe(1);
  });

  it("repeats a retry copy's send under the same id, so a send that took effect is not doubled", async () => {
    const { log, sender, clock, options, message } = setup();
    failFirst(sender, "sendMessages", [busy], true);
    const sent = settleMessage(options, message, { kind: "retry", delayMs: 30_000, reason: "x", retryBody: { attempt: 1 } });
    clock.nowMs += 5_000; // time moves while the step is retried: the copy keeps its first due time
    await sent;
    const ids = sender.sent.map((m) => m.messageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1); // duplicate detection drops the second
    expect(sender.sent[1]?.scheduledEnqueueTimeUtc?.getTime()).toBe(31_000);
    expect(log.at(-1)).toBe("complete:m1");
  });

  it("stops at once when the lock is lost: the message comes back on its own", async () => {
    const { receiver, metrics, options, message } = setup();
    failFirst(receiver, "deadLetterMessage", [lockLost]);
    await settleMessage(options, message, deadLetter("SchemaDrift", "column X"));
    expect(receiver.deadLettered).toEqual([]);
    expect(metrics.get("settlementRetried")).toBe(0);
    expect(metrics.get("settlementFailed")).toBe(1);
  });

  it("does not retry a permanent failure, which would fail alike every time", async () => {
    const { sender, metrics, options, message } = setup();
    const refused = () => new PermanentError("message m1 is 300000 bytes, over the queue's limit of 262144");
    failFirst(sender, "sendMessages", [refused, refused, refused, refused]);
    await settleMessage(options, message, { kind: "retry", delayMs: 1_000, reason: "x", retryBody: { attempt: 1 } });
    expect(sender.sent).toEqual([]);
    expect(metrics.get("settlementRetried")).toBe(0);
    expect(metrics.get("settlementFailed")).toBe(1);
  });

  it("does not retry past the lock's end", async () => {
    const { receiver, metrics, options, message } = setup(1_000);
    failFirst(receiver, "completeMessage", [busy]);
    await settleMessage(options, message, { kind: "completed" });
    expect(metrics.get("settlementRetried")).toBe(0);
    expect(metrics.get("settlementFailed")).toBe(1);
  });

  it.each([
    ["least", 0, [100, 200, 400]],
    ["most", 0.999_999, [200, 400, 800]],
  ])("waits longer before each try, jittered: at the %s, %s of the way, %j ms", async (_, jitter, expected) => {
    const { receiver, clock, options, message } = setup();
    const slept: number[] = [];
    clock.sleep = async (ms) => {
      slept.push(ms);
    };
    const random = vi.spyOn(Math, "random").mockReturnValue(jitter);
    try {
      failFirst(receiver, "completeMessage", Array(3).fill(busy));
      await settleMessage(options, message, { kind: "completed" });
    } finally {
      random.mockRestore();
    }
    expect(slept).toEqual(expected);
  });

  it("outlasts a few seconds of failing writes while the lock holds, instead of giving up after 1.4 s", async () => {
    const { receiver, clock, metrics, options, message } = setup();
    clock.sleep = async (ms) => {
      clock.nowMs += ms;
    };
    const failingForMs = 3_000;
    const failUntil = clock.nowMs + failingForMs;
    const complete = receiver.completeMessage.bind(receiver);
    receiver.completeMessage = async (m) => {
      if (clock.nowMs < failUntil) throw busy();
      return complete(m);
    };
    await settleMessage(options, message, { kind: "completed" });
    expect(receiver.completed).toEqual(["m1"]);
    expect(metrics.get("settlementFailed")).toBe(0);
  });

  it(`gives up after ${settleForMs / 1000} s of failures and says so, without throwing`, async () => {
    const { receiver, clock, metrics, options, message } = setup();
    clock.sleep = async (ms) => {
      clock.nowMs += ms;
    };
    receiver.completeMessage = async () => {
      throw busy();
    };
    await settleMessage(options, message, { kind: "completed" });
    expect(receiver.completed).toEqual([]);
    expect(metrics.get("settlementRetried")).toBeGreaterThan(30);
    expect(metrics.get("settlementFailed")).toBe(1);
  });

  it("gives a failing settlement only a moment more once the host stops, not the 30 s", async () => {
    const { receiver, clock, metrics, options, message } = setup();
    const started = clock.nowMs;
    clock.sleep = async (ms) => {
      clock.nowMs += ms;
    };
    receiver.completeMessage = async () => {
      throw busy();
    };
    await settleMessage({ ...options, signal: AbortSignal.abort() }, message, { kind: "completed" });
    expect(metrics.get("settlementFailed")).toBe(1);
    expect(clock.nowMs - started).toBeLessThanOrEqual(settleWhenStoppingMs + 800);
  });

  it("gives a retry's send and complete one deadline together, not 30 s each", async () => {
    const { receiver, sender, clock, metrics, options, message } = setup();
    const started = clock.nowMs;
    clock.sleep = async (ms) => {
      clock.nowMs += ms;
    };
    let sends = 0;
    sender.sendMessages = async () => {
      if (++sends <= 20) throw busy(); // ~15 s of the budget spent on the send
    };
    receiver.completeMessage = async () => {
      throw busy();
    };
    await settleMessage(options, message, { kind: "retry", delayMs: 1_000, reason: "429", retryBody: { attempt: 0 } });
    expect(metrics.get("settlementFailed")).toBe(1);
    expect(clock.nowMs - started).toBeLessThanOrEqual(settleForMs + 800);
  });
});
