import type { ReceivedMessage } from "@xdr-relay/core";
import type { PeekMessages } from "../wiring/open-queue.ts";
import { peekPages } from "../wiring/peek-pages.ts";

/** Dead letters of one reason: how many, and the first one's account of itself. */
export interface ReasonSummary {
  readonly reason: string;
  readonly count: number;
  readonly first: { readonly messageId: string; readonly description: string };
}

/** Messages peeked per call: enough to make few calls, few enough to keep memory small. */
const pageSize = 2_000;

/**
 * Counts a queue's dead letters by reason, most frequent first, reading them by peek (no lock, no
 * delivery counted), a page at a time so a large dead-letter queue costs little memory.
 */
export async function summariseDeadLetters(peek: PeekMessages, queueName: string): Promise<ReasonSummary[]> {
  const byReason = new Map<string, { count: number; first: ReceivedMessage }>();
  for await (const page of peekPages(peek, queueName, { subQueue: "deadLetter", pageSize })) {
    for (const m of page) {
      const reason = m.deadLetterReason ?? "(no reason)";
      const seen = byReason.get(reason);
      if (seen) seen.count++;
      else byReason.set(reason, { count: 1, first: m });
    }
  }
  return [...byReason]
    .map(([reason, { count, first }]) => ({
      reason,
      count,
      first: { messageId: first.messageId, description: first.deadLetterErrorDescription ?? "" },
    }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * Operator lines: one per reason, with the first message's description cut to one line; `full`
 * keeps the description whole (the service's text, a stack of causes), indented under its line.
 */
export function summaryLines(
  queueName: string,
  total: number,
  reasons: readonly ReasonSummary[],
  options: { full?: boolean } = {},
): string[] {
  const lines = [`${queueName}: ${total} dead-lettered`];
  for (const r of reasons) {
    const example = `  ${r.count} ${r.reason} — e.g. ${r.first.messageId}:`;
    if (options.full) {
      lines.push(example, ...r.first.description.split(/\r?\n/).map((line) => `      ${line}`));
      continue;
    }
    const description = r.first.description.replace(/\s+/g, " ");
    const cut = description.length > 160 ? `${description.slice(0, 160)}… (--full shows it whole)` : description;
    lines.push(`${example} ${cut}`);
  }
  for (const r of reasons) {
    const note = replayNotes[r.reason];
    if (note !== undefined) lines.push(`  ${r.reason}: ${note}`);
  }
  if (total > 0) lines.push(`  fix the cause, then: xdr-relay dlq replay --queue ${queueName} [--reason <reason>]`);
  return lines;
}

/**
 * Reasons for which "fix the cause, then replay" is not the whole story: the replay cannot help,
 * or it can land rows twice. The README's table of reasons says the same.
 */
const replayNotes: Readonly<Record<string, string>> = {
  RowTooLarge:
    "a replay cannot bring these in: narrow the query (or raise queue.maxMessageBytes), fetch their windows " +
    "again (backfill --again), then dlq drop --reason RowTooLarge",
  WindowExpired: "their rows have left Defender's 30 days: dlq drop --reason WindowExpired",
  MalformedMessage: "another version wrote these: replay them with it, or dlq drop --reason MalformedMessage",
  MaxDeliveryCountExceeded:
    "their rows may have landed already (a crash or lost lock after the upload): a replay can land them twice, folded by RowId",
};
