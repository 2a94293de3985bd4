import { describe, expect, it } from "vitest";
import { deadLetter, type Outcome } from "../contracts/outcome.ts";
import type { ReceivedMessage } from "../ports/queue.ts";
import { FakeReceiver, FakeSender, fixedClock, type QueueLog, receivedMessage } from "./queue-fakes.ts";
import { type SettleDeps, settlementSteps } from "./settlement-steps.ts";

const nowMs = Date.parse("2026-11-26T10:00:00.000Z");

function setup() {
  const log: QueueLog = [];
  const receiver = new FakeReceiver([], log);
  const sender = new FakeSender(log);
  return { log, receiver, sender, deps: { receiver, sender, clock: fixedClock(nowMs) } };
}

/** Runs the steps in order, without `settleMessage`'s retries: what each step does, alone. */
async function settle(deps: SettleDeps, message: ReceivedMessage, outcome: Outcome): Promise<void> {
  for (const step of settlementSteps(deps, message, outcome)) await step();
}

describe("settlementSteps", () => {
  it("completes a completed message and sends nothing", async () => {
    const { log, deps } = setup();
    await settle(deps, receivedMessage("m1"), { kind: "completed" });
    expect(log).toEqual(["complete:m1"]);
  });

  it("retries by scheduling a copy under a fresh id, then completing the original", async () => {
    const { log, sender, deps } = setup();
    const retryBody = { attempt: 2, tenant: "t" };
    await settle(deps, receivedMessage("m1"), { kind: "retry", delayMs: 30_000, reason: "transient", retryBody });
    const [copy] = sender.sent;
    expect(copy?.body).toEqual(retryBody);
    expect(copy?.scheduledEnqueueTimeUtc?.getTime()).toBe(nowMs + 30_000);
    expect(copy?.messageId).not.toBe("m1");
    // Copy first: a crash between the two steps leaves two copies, never none.
    expect(log).toEqual([`send:${copy?.messageId}`, "complete:m1"]);
  });

  it.each([
    ["another attempt", { attempt: 3 }, 30_000],
    ["another due time", { attempt: 2 }, 60_000],
  ])("gives each retry copy its own id (%s)", async (_, retryBody, delayMs) => {
    const { sender, deps } = setup();
    const message = receivedMessage("m1");
    await settle(deps, message, { kind: "retry", delayMs: 30_000, reason: "x", retryBody: { attempt: 2 } });
    await settle(deps, message, { kind: "retry", delayMs, reason: "x", retryBody });
    const [first, second] = sender.sent.map((m) => m.messageId);
    expect(first).not.toBe(second);
  });

  it("dead-letters with the reason and the error text, and sends nothing", async () => {
    const { log, receiver, sender, deps } = setup();
    await settle(deps, receivedMessage("m1"), deadLetter("BadQuery", "400: syntax error near 'projec'"));
    expect(receiver.deadLettered).toEqual([
      {
        messageId: "m1",
        details: { deadLetterReason: "BadQuery", deadLetterErrorDescription: "400: syntax error near 'projec'" },
      },
    ]);
    expect(sender.sent).toEqual([]);
    expect(log).toEqual(["deadLetter:m1"]);
  });
});
