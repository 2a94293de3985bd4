import { describe, expect, it } from "vitest";
import { deadLetter } from "../contracts/outcome.ts";
import type { LogFields, Logger } from "../ports/runtime.ts";
import { CounterMetrics } from "../ports/runtime.ts";
import { deadLetterNoticeEveryMs, flushDeadLetterNotices } from "./dead-letter-notice.ts";
import { FakeReceiver, FakeSender, fixedClock, receivedMessage } from "./queue-fakes.ts";
import { settleMessage } from "./settle-message.ts";

function recordingLogger() {
  const warnings: { event: string; fields: LogFields }[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    error() {},
    warn: (event, fields = {}) => void warnings.push({ event, fields }),
  };
  return { logger, warnings };
}

function settleOptions(queueName: string, receiver: FakeReceiver, logger: Logger) {
  return { queueName, receiver, sender: new FakeSender([]), clock: fixedClock(0), logger, metrics: new CounterMetrics() };
}

describe("a dead letter in the log", () => {
  it("is logged at warn with its reason and description, then at most once per queue and reason a while, counting the rest", async () => {
    const { logger, warnings } = recordingLogger();
    const clock = fixedClock(1_000);
    const receiver = new FakeReceiver([], []);
    const options = { queueName: "rows", receiver, sender: new FakeSender([]), clock, logger, metrics: new CounterMetrics() };
    const drift = deadLetter("SchemaDrift", "column NewColumn is not declared");
    for (const id of ["m1", "m2", "m3"]) await settleMessage(options, receivedMessage(id), drift);
    await settleMessage(options, receivedMessage("m4"), deadLetter("IngestionRejected", "400: bad value"));
    await settleMessage({ ...options, queueName: "windows" }, receivedMessage("w1"), drift);
    clock.nowMs += deadLetterNoticeEveryMs;
    await settleMessage(options, receivedMessage("m5"), drift);

    expect(receiver.deadLettered.map((d) => d.messageId)).toEqual(["m1", "m2", "m3", "m4", "w1", "m5"]);
    expect(warnings).toEqual([
      {
        event: "messageDeadLettered",
        fields: { queue: "rows", messageId: "m1", reason: "SchemaDrift", description: "column NewColumn is not declared" },
      },
      {
        event: "messageDeadLettered",
        fields: { queue: "rows", messageId: "m4", reason: "IngestionRejected", description: "400: bad value" },
      },
      {
        event: "messageDeadLettered",
        fields: { queue: "windows", messageId: "w1", reason: "SchemaDrift", description: "column NewColumn is not declared" },
      },
      {
        event: "messageDeadLettered",
        fields: {
          queue: "rows",
          messageId: "m5",
          reason: "SchemaDrift",
          description: "column NewColumn is not declared",
          moreSinceLastLine: 2,
        },
      },
    ]);
  });

  it("writes out, when the run stops, the letters the throttle held back since its last line", async () => {
    const { logger, warnings } = recordingLogger();
    const options = settleOptions("rows", new FakeReceiver([], []), logger);
    const drift = deadLetter("SchemaDrift", "column NewColumn is not declared");
    for (const id of ["m1", "m2", "m3"]) await settleMessage(options, receivedMessage(id), drift);
    await settleMessage(options, receivedMessage("m4"), deadLetter("IngestionRejected", "400: bad value"));

    flushDeadLetterNotices(logger);
    flushDeadLetterNotices(logger);

    expect(warnings.map((w) => w.fields)).toEqual([
      expect.objectContaining({ messageId: "m1" }),
      expect.objectContaining({ messageId: "m4" }),
      // Once, and only for the reason that had letters held back.
      { queue: "rows", reason: "SchemaDrift", moreSinceLastLine: 2 },
    ]);
  });

  it("names the queue the receiver says the message came from (the fetcher's backfill lane), not the stage's", async () => {
    const { logger, warnings } = recordingLogger();
    const receiver = Object.assign(new FakeReceiver([], []), { queueNameOf: () => "windows-backfill" });
    const options = settleOptions("windows", receiver, logger);
    await settleMessage(options, receivedMessage("w1"), deadLetter("BadQuery", "400: syntax"));
    expect(warnings.map((w) => w.fields)).toEqual([expect.objectContaining({ queue: "windows-backfill", messageId: "w1" })]);
    // Counted under the stage, as every window is.
    expect(options.metrics.get("windowsMessageDeadLettered")).toBe(1);
  });
});
