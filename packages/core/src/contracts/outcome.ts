import type { DeadLetterReason } from "./dead-letter.ts";

/**
 * What a stage's handler decided for one message. Handlers return outcomes; hosts settle them
 * through the queue port, so the settlement rules live in one place (`settlementSteps`).
 */
export type Outcome =
  /** Done: the message is completed. */
  | { readonly kind: "completed" }
  /**
   * Try again later: the host enqueues `retryBody` at `delayMs` from now under a fresh message id
   * (duplicate detection would drop a copy under the old id) and completes the original.
   */
  | {
      readonly kind: "retry";
      readonly delayMs: number;
      readonly reason: string;
      /** The body to re-enqueue, with `attempt` already advanced when the retry spends one. */
      readonly retryBody: unknown;
    }
  /** Give up: the message goes to the dead-letter queue with a reason and the error text. */
  | { readonly kind: "deadLetter"; readonly reason: DeadLetterReason; readonly description: string };

export const completed: Outcome = Object.freeze({ kind: "completed" });

export function deadLetter(reason: DeadLetterReason, description: string): Outcome {
  return { kind: "deadLetter", reason, description: description.slice(0, 4000) };
}
