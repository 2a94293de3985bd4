import type { ReceivedMessage } from "@xdr-relay/core";
import type { PeekMessages } from "../wiring/open-queue.ts";
import { peekPages } from "../wiring/peek-pages.ts";

/** Dead letters of one reason: how many, and the causes they were parked for. */
export interface ReasonSummary {
  readonly reason: string;
  readonly count: number;
  /** Grouped by description (numbers and ids aside: `causeOf`), most frequent first, at most `keptCauses`. */
  readonly causes: readonly CauseSummary[];
  /** Dead letters of a cause beyond the first `keptCauses` found. */
  readonly otherCauses: number;
}

/** Dead letters with one description, give or take their numbers and ids, and the first one's account of itself. */
export interface CauseSummary {
  readonly count: number;
  readonly first: { readonly messageId: string; readonly description: string };
}

/** Messages peeked per call: enough to make few calls, few enough to keep memory small. */
const pageSize = 2_000;
/** Causes kept per reason: memory stays small when every description differs. */
const keptCauses = 10;
/** Causes shown per reason without `--full`. */
const shownCauses = 3;

/**
 * What a description says apart from its numbers and ids (any word with a digit in it: row ids,
 * windows, times, sizes, attempts): dead letters of one reason that differ only there were parked
 * for the same cause, and one replay after one fix brings them all in. Two schema drifts of other
 * columns, or two rejections of other values, are two causes, and `dlq list` shows both.
 */
export function causeOf(description: string): string {
  return description.replace(/[\w.:+-]*\d[\w.:+-]*/g, "#");
}

/**
 * Counts a queue's dead letters by reason, most frequent first, and within each reason by cause,
 * reading them by peek (no lock, no delivery counted), a page at a time so a large dead-letter
 * queue costs little memory.
 */
export async function summariseDeadLetters(peek: PeekMessages, queueName: string): Promise<ReasonSummary[]> {
  const byReason = new Map<
    string,
    { count: number; causes: Map<string, { count: number; first: ReceivedMessage }>; other: number }
  >();
  for await (const page of peekPages(peek, queueName, { subQueue: "deadLetter", pageSize })) {
    for (const m of page) {
      const reason = m.deadLetterReason ?? "(no reason)";
      const seen = byReason.get(reason) ?? { count: 0, causes: new Map(), other: 0 };
      byReason.set(reason, seen);
      seen.count++;
      const cause = causeOf(m.deadLetterErrorDescription ?? "");
      const known = seen.causes.get(cause);
      if (known) known.count++;
      else if (seen.causes.size < keptCauses) seen.causes.set(cause, { count: 1, first: m });
      else seen.other++;
    }
  }
  return [...byReason]
    .map(([reason, { count, causes, other }]) => ({
      reason,
      count,
      // A stable sort: among causes as frequent, the first one met comes first.
      causes: [...causes.values()]
        .map((c) => ({
          count: c.count,
          first: { messageId: c.first.messageId, description: c.first.deadLetterErrorDescription ?? "" },
        }))
        .sort((a, b) => b.count - a.count),
      otherCauses: other,
    }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * Operator lines: one per reason with its cause; a reason parked for several causes gets a line
 * for each (the most frequent three, or with `full` all it kept). A description is cut to one
 * line; `full` keeps it whole (the service's text, a stack of causes), indented under its line.
 */
export function summaryLines(
  queueName: string,
  total: number,
  reasons: readonly ReasonSummary[],
  options: { full?: boolean } = {},
): string[] {
  const lines = [`${queueName}: ${total} dead-lettered`];
  for (const r of reasons) {
    const [only] = r.causes;
    if (r.causes.length === 1 && r.otherCauses === 0 && only !== undefined) {
      lines.push(...causeLines(`  ${r.count} ${r.reason} — e.g.`, only, options));
      continue;
    }
    const more = r.otherCauses > 0 ? "more than " : "";
    lines.push(`  ${r.count} ${r.reason}, for ${more}${r.causes.length} causes:`);
    const shown = options.full ? r.causes : r.causes.slice(0, shownCauses);
    for (const c of shown) lines.push(...causeLines(`    ${c.count} e.g.`, c, options));
    const hidden = r.count - shown.reduce((n, c) => n + c.count, 0);
    if (hidden > 0) {
      const hint = shown.length < r.causes.length ? ` (--full shows ${r.causes.length - shown.length} more of them)` : "";
      lines.push(`    ${hidden} for other causes${hint}`);
    }
  }
  for (const r of reasons) {
    const note = replayNotes[r.reason];
    if (note !== undefined) lines.push(`  ${r.reason}: ${note}`);
  }
  if (total > 0) lines.push(`  fix the cause, then: xdr-relay dlq replay --queue ${queueName} [--reason <reason>]`);
  return lines;
}

/** A cause's example: on its line cut to 160 characters, or with `full` whole and indented under it. */
function causeLines(head: string, cause: CauseSummary, options: { full?: boolean }): string[] {
  const example = `${head} ${cause.first.messageId}:`;
  if (options.full) return [example, ...cause.first.description.split(/\r?\n/).map((line) => `      ${line}`)];
  const description = cause.first.description.replace(/\s+/g, " ");
  const cut = description.length > 160 ? `${description.slice(0, 160)}… (--full shows it whole)` : description;
  return [`${example} ${cut}`];
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
