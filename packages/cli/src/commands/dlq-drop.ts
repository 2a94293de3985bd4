import type { RelayConfig } from "@xdr-relay/core";
import { replayDeadLetters } from "@xdr-relay/queue";
import { fmt } from "../backfill/format.ts";
import { openQueue } from "../wiring/open-queue.ts";
import { missingRelayData } from "../wiring/relay-data.ts";
import { checkedMax, checkedQueue, checkedReason, heldLine } from "./dlq.ts";

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
  const name = checkedQueue("dlq drop", options.queue);
  const reason = checkedReason("dlq drop", options.reason);
  const max = checkedMax(options.max);
  const missing = missingRelayData(config);
  if (missing) {
    console.log(missing);
    return 1;
  }
  const queue = openQueue(config, {});
  try {
    const result = await replayDeadLetters(queue.client, name, {
      drop: true,
      filter: (m) => m.deadLetterReason === reason,
      ...(max === undefined ? {} : { max }),
    });
    const counts = `dropped=${result.replayed} kept=${result.skipped} lockLost=${result.lockLost}`;
    console.log(`removed ${fmt(result.replayed)} ${reason} dead letter(s) from ${name} for good (${counts})`);
    const held = heldLine(queue, name);
    if (held !== undefined) console.log(held);
    return 0;
  } finally {
    await queue.client.close();
  }
}
