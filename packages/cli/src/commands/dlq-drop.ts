import { DeadLetterReason, queueNames, type RelayConfig } from "@xdr-relay/core";
import { replayDeadLetters } from "@xdr-relay/queue";
import { fmt } from "../backfill/format.ts";
import { openQueue } from "../wiring/open-queue.ts";
import { missingRelayData } from "../wiring/relay-data.ts";
import { UsageError } from "./usage-error.ts";

/**
 * `dlq drop --queue <q> --reason <r> [--max N]`: removes dead letters of one reason for good. For
 * those no fix brings back: `WindowExpired` (the window's rows left Defender's 30 days), which a
 * replay only dead-letters again, and which otherwise kept `status --check` failing for ever. One
 * reason at a time, named in full, so no other dead letter goes with them.
 */
export async function dlqDropCommand(
  config: RelayConfig,
  options: { queue: string | undefined; reason: string | undefined; max: string | undefined },
): Promise<number> {
  const queues: readonly string[] = Object.values(queueNames);
  if (options.queue === undefined || !queues.includes(options.queue)) {
    throw new UsageError(`dlq drop needs --queue, one of ${queues.join(", ")}; got "${options.queue ?? ""}"`);
  }
  const reason = DeadLetterReason.safeParse(options.reason);
  if (!reason.success) {
    throw new UsageError(`dlq drop needs --reason, one of ${DeadLetterReason.options.join(", ")}; got "${options.reason ?? ""}"`);
  }
  const max = options.max === undefined ? undefined : Number(options.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new UsageError(`--max must be a positive whole number, got "${options.max}"`);
  }
  const missing = missingRelayData(config);
  if (missing) {
    console.log(missing);
    return 1;
  }
  const queue = openQueue(config, {});
  try {
    const result = await replayDeadLetters(queue.client, options.queue, {
      drop: true,
      filter: (m) => m.deadLetterReason === reason.data,
      ...(max === undefined ? {} : { max }),
    });
    const counts = `dropped=${result.replayed} kept=${result.skipped} lockLost=${result.lockLost}`;
    console.log(`removed ${fmt(result.replayed)} ${reason.data} dead letter(s) from ${options.queue} for good (${counts})`);
    return 0;
  } finally {
    await queue.client.close();
  }
}
