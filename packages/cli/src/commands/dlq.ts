import { DeadLetterReason, queueNames, type RelayConfig, replayBody } from "@xdr-relay/core";
import { type ReplayResult, replayDeadLetters } from "@xdr-relay/queue";
import { fmt } from "../backfill/format.ts";
import { type OpenedQueue, openQueue } from "../wiring/open-queue.ts";
import { missingRelayData } from "../wiring/relay-data.ts";
import { summariseDeadLetters, summaryLines } from "./dead-letter-summary.ts";
import { UsageError } from "./usage-error.ts";

/** Each queue has its own dead-letter queue, and a replay goes back to the queue it came from (its lane). */
const queues: readonly string[] = Object.values(queueNames);
const queueList = queues.join(", ");

/**
 * `dlq list` shows each queue's dead letters by reason, with an example of each; `dlq replay`
 * sends dead letters back after a fix (those of one reason with `--reason`), until `signal` stops it.
 */
export async function dlqCommand(
  config: RelayConfig,
  options: {
    action: "list" | "replay";
    queue: string | undefined;
    max: string | undefined;
    reason?: string | undefined;
    full?: boolean;
    signal?: AbortSignal;
  },
): Promise<number> {
  // The action comes from the command line, already checked (`dlq list`, `dlq replay`).
  const { action } = options;
  if (action === "replay" || options.queue !== undefined) checkedQueue(`dlq ${action}`, options.queue);
  const max = action === "replay" ? checkedMax(options.max) : undefined;
  const reason = options.reason === undefined ? undefined : checkedReason(`dlq ${action}`, options.reason);
  const missing = missingRelayData(config);
  if (missing) {
    console.log(missing);
    // A replay asked of a mistyped dataDir did nothing the operator wanted: say so in the exit code.
    return action === "replay" ? 1 : 0;
  }
  const queue = openQueue(config, action === "list" ? { changesNothing: "`dlq list`" } : {});
  try {
    if (action === "list") {
      for (const name of options.queue ? [options.queue] : queues) {
        const depth = queue.depth?.(name);
        if (depth === undefined || queue.peek === undefined) {
          console.log(`${name}: ? dead-lettered (this queue cannot be listed here)`);
          continue;
        }
        const reasons = depth.deadLettered > 0 ? await summariseDeadLetters(queue.peek, name) : [];
        for (const line of summaryLines(name, depth.deadLettered, reasons, { full: options.full === true })) console.log(line);
      }
      return 0;
    }
    const name = options.queue as string;
    const result = await replayDeadLetters(queue.client, name, {
      body: replayBody,
      ...(max === undefined ? {} : { max }),
      ...(reason === undefined ? {} : { filter: (m) => m.deadLetterReason === reason }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    for (const line of replayLines(name, result)) console.log(line);
    const held = heldLine(queue, name);
    if (held !== undefined && (result.replayed > 0 || result.skipped > 0 || result.later > 0)) console.log(held);
    return 0;
  } finally {
    await queue.client.close();
  }
}

/**
 * What the dead-letter queue holds once a replay or drop is done, counted on the queue: the counts
 * above are of the letters the command met, and with `--max` it stops before meeting them all.
 */
export function heldLine(queue: OpenedQueue, name: string): string | undefined {
  const held = queue.depth?.(name).deadLettered;
  return held === undefined
    ? undefined
    : `${name}'s dead-letter queue holds ${fmt(held)} now (xdr-relay dlq list --queue ${name})`;
}

/** `--queue`, which `command` needs: one of the queues, each of which has a dead-letter queue. */
export function checkedQueue(command: string, queue: string | undefined): string {
  if (queue === undefined) throw new UsageError(`${command} needs --queue, one of ${queueList}`);
  if (!queues.includes(queue)) throw new UsageError(`--queue must be one of ${queueList}, got "${queue}"`);
  return queue;
}

/** `--reason`: one of the dead-letter reasons, named in full. */
export function checkedReason(command: string, reason: string | undefined): DeadLetterReason {
  const parsed = DeadLetterReason.safeParse(reason);
  if (parsed.success) return parsed.data;
  const reasons = DeadLetterReason.options.join(", ");
  if (reason === undefined) throw new UsageError(`${command} needs --reason, one of ${reasons}`);
  throw new UsageError(`--reason must be one of ${reasons}, got "${reason}"`);
}

/** `--max N`: how many dead letters at most, a positive whole number; undefined when not given (all). */
export function checkedMax(max: string | undefined): number | undefined {
  if (max === undefined) return undefined;
  const n = Number(max);
  if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`--max must be a positive whole number, got "${max}"`);
  return n;
}

/** What a replay did, in words, with the counts a script can read (`replayed=… lockLost=…`) last. */
export function replayLines(queue: string, r: ReplayResult): string[] {
  const counts = `replayed=${r.replayed} skipped=${r.skipped} lockLost=${r.lockLost} later=${r.later}`;
  if (r.replayed === 0 && r.skipped === 0 && r.later === 0)
    return [`nothing to replay: ${queue} has no dead letters (${counts})`];
  const lines = [
    `sent ${fmt(r.replayed)} dead letter(s) back onto ${queue} under new message ids, with their attempts reset; ` +
      `\`xdr-relay run\` processes them (${counts})`,
  ];
  if (r.lockLost > 0) {
    lines.push(
      `${fmt(r.lockLost)} of them also stayed in the dead-letter queue (its lock ran out before it was removed): ` +
        "a later replay sends them again, and duplicate detection or their RowId folds the copy",
    );
  }
  if (r.skipped > 0) lines.push(`passed over ${fmt(r.skipped)} of another reason (left in the dead-letter queue)`);
  if (r.later > 0) {
    lines.push(
      `${fmt(r.later)} dead-lettered while this replay ran, most likely copies it sent that failed again, ` +
        "stayed in the dead-letter queue: not sent back again (`xdr-relay dlq list` says why; fix that first)",
    );
  }
  return lines;
}
