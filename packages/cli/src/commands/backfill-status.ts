import { backfillCallBudget, callBudgetFor, type RelayConfig } from "@xdr-relay/core";
import { readBackfillRuns } from "@xdr-relay/scheduler";
import { fmt, iso } from "../backfill/format.ts";
import { watchBackfill } from "../backfill/watch.ts";
import { openCheckpointStore } from "../wiring/open-checkpoint-store.ts";
import { openQueue } from "../wiring/open-queue.ts";
import { missingRelayData } from "../wiring/relay-data.ts";
import { UsageError } from "./usage-error.ts";

/**
 * `backfill status [--id <id>] [--watch]`: how far the latest backfill (or the one named) got,
 * read from the shared queue and checkpoint store, so it works beside fetchers in other processes.
 */
export async function backfillStatusCommand(
  config: RelayConfig,
  options: { id?: string | undefined; watch: boolean; signal: AbortSignal },
): Promise<number> {
  // A backfill's windows go through the queue: without one, there is no backfill to show.
  const missing = missingRelayData(config);
  if (missing) {
    console.log(missing);
    // Asked for one backfill, or to follow one: there is none to show, which a script must not read as done.
    return options.id === undefined && !options.watch ? 0 : 1;
  }
  const checkpoints = openCheckpointStore(config, { changesNothing: "`backfill status`" });
  const queue = openQueue(config, { changesNothing: "`backfill status`" });
  try {
    await checkpoints.verify();
    const runs = await readBackfillRuns(checkpoints.store);
    const run = options.id === undefined ? runs.at(-1) : runs.find((r) => r.id === options.id);
    if (!run) {
      if (options.id === undefined) {
        console.log(`no backfill recorded in ${checkpoints.where}`);
        return 0;
      }
      const known = runs.map((r) => r.id).join(", ") || "none";
      throw new UsageError(`no backfill ${options.id} in ${checkpoints.where}; recorded: ${known}`);
    }
    // Named first: its id is what `backfill cancel --id` and `backfill status --id` need.
    console.log(`backfill ${run.id}: ${iso(run.fromMs)} to ${iso(run.toMs)}, ${fmt(run.windows)} windows`);
    // A backfill draws on each budget less the share kept for live windows, as the fetcher holds it to.
    const budgetOf = (tenant: string) => backfillCallBudget(callBudgetFor(config, tenant));
    return await watchBackfill({ run, queue, store: checkpoints.store, budgetOf, signal: options.signal, once: !options.watch });
  } finally {
    await queue.client.close();
    await checkpoints.close();
  }
}
