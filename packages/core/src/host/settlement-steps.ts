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
 * is a scheduled copy under a fresh id that replaces the original (Service Bus cannot abandon with
 * a delay). Where the receiver can do both at once (`rescheduleMessage`: the embedded queue, in one
 * transaction) it does; else the copy is sent first and the original completed after, so a crash
 * in between leaves two copies, never none. Two live copies of a row message both upload (its
 * rows landed twice, or landed and dead-lettered if the copy later fails for good), which is why
 * the one-step form exists. Each step may be run again after a failure:
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
      const reschedule = deps.receiver.rescheduleMessage?.bind(deps.receiver);
      if (reschedule) return [() => reschedule(message, copy)];
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
