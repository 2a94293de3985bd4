import type { Outcome } from "../contracts/outcome.ts";
import type { Clock, Logger } from "../ports/runtime.ts";

/** At most one `messageDeadLettered` line per queue and reason this often; the next one counts the rest. */
export const deadLetterNoticeEveryMs = 10_000;

/** One queue and reason's throttle: when it was last logged, and how many went unlogged since. */
interface Notice {
  readonly queue: string;
  readonly reason: string;
  lastAt: number;
  more: number;
}

/** Per logger (one per pipeline), by queue and reason. */
const notices = new WeakMap<Logger, Map<string, Notice>>();

/**
 * Logs a message just dead-lettered, at warn: a log pipeline alerts on it, and `backfill status`
 * and the run's summary send the operator to the log for why. A stream the rule refuses can
 * dead-letter a million rows; so each queue and reason gets a line at most every
 * `deadLetterNoticeEveryMs`, which says how many more were dead-lettered for it since the last
 * line (`dlq list` counts them all, by cause).
 */
export function noticeDeadLetter(
  options: { readonly queueName: string; readonly logger: Logger; readonly clock: Clock },
  messageId: string,
  outcome: Extract<Outcome, { kind: "deadLetter" }>,
): void {
  let byKey = notices.get(options.logger);
  if (byKey === undefined) {
    byKey = new Map();
    notices.set(options.logger, byKey);
  }
  const key = `${options.queueName}\u0000${outcome.reason}`;
  const now = options.clock.now();
  const seen = byKey.get(key);
  if (seen !== undefined && now - seen.lastAt < deadLetterNoticeEveryMs) {
    seen.more++;
    return;
  }
  options.logger.warn("messageDeadLettered", {
    queue: options.queueName,
    messageId,
    reason: outcome.reason,
    description: outcome.description,
    ...(seen !== undefined && seen.more > 0 ? { moreSinceLastLine: seen.more } : {}),
  });
  byKey.set(key, { queue: options.queueName, reason: outcome.reason, lastAt: now, more: 0 });
}

/**
 * Logs, per queue and reason, the dead letters the throttle held back since its last line: called
 * when a run stops, so the last seconds' letters are not missing from the log (a cron run's log is
 * all an operator may read). One `messageDeadLettered` line each, with no message of its own.
 */
export function flushDeadLetterNotices(logger: Logger): void {
  for (const seen of notices.get(logger)?.values() ?? []) {
    if (seen.more === 0) continue;
    logger.warn("messageDeadLettered", { queue: seen.queue, reason: seen.reason, moreSinceLastLine: seen.more });
    seen.more = 0;
  }
}
