import type { Outcome } from "../contracts/outcome.ts";
import { retryMessageId } from "../logic/message-ids.ts";
import type { QueueReceiver, QueueSender, ReceivedMessage } from "../ports/queue.ts";
import type { Clock } from "../ports/runtime.ts";

export interface SettleDeps {
  readonly receiver: QueueReceiver;
  /** Sender to the same queue, for retry copies. */
  readonly sender: QueueSender;
  readonly clock: Clock;
}

/** One queue operation of a settlement; safe to run again after it failed (see `settlementSteps`). */
export type SettlementStep = () => Promise<void>;

/**
 * The operations that settle `message` by `outcome`, in order; `settleMessage` runs them. A retry
 * is a scheduled copy under a fresh id followed by completing the original (Service Bus cannot
 * abandon with a delay); the copy is sent first, so a crash in between leaves two copies (harmless:
 * both carry the same window or row ids), never none. Each step may be run again after a failure:
 * the retry copy's id and due time are fixed here, once, so a send repeated after an error whose
 * effect is unknown is dropped by duplicate detection instead of scheduling a second copy;
 * completing or dead-lettering again either succeeds or says the lock is lost.
 */
export function settlementSteps(deps: SettleDeps, message: ReceivedMessage, outcome: Outcome): SettlementStep[] {
  switch (outcome.kind) {
    case "completed":
      return [() => deps.receiver.completeMessage(message)];
    case "retry": {
      const notBeforeMs = deps.clock.now() + outcome.delayMs;
      const attempt = (outcome.retryBody as { attempt?: unknown }).attempt;
      const copy = {
        messageId: retryMessageId(message.messageId, typeof attempt === "number" ? attempt : 0, notBeforeMs),
        body: outcome.retryBody,
        scheduledEnqueueTimeUtc: new Date(notBeforeMs),
      };
      return [() => deps.sender.sendMessages([copy]), () => deps.receiver.completeMessage(message)];
    }
    case "deadLetter":
      return [
        () =>
          deps.receiver.deadLetterMessage(message, {
            deadLetterReason: outcome.reason,
            deadLetterErrorDescription: outcome.description,
          }),
      ];
  }
}
