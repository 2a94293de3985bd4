import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type QueueSender, silentLogger } from "@xdr-relay/core";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import {
  type BackfillRequest,
  type BackfillRun,
  cancelBackfillRun,
  enqueueState,
  readBackfillRuns,
  recordBackfillRun,
  unfinishedRunLike,
} from "@xdr-relay/scheduler";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The scheduler package's in-memory store, with the compare-and-swap contract of the real ones.
import { MemoryCheckpointStore } from "../../../scheduler/src/scheduler-fakes.ts";
import { EnqueueCancelled, EnqueueStopped, enqueueRun } from "./enqueue-run.ts";
import { enqueueNotice } from "./progress-line.ts";
import { readSnapshot } from "./snapshot.ts";

const minute = 60_000;
const startedAtMs = Date.parse("2026-11-26T12:00:00.000Z");
const fromMs = Date.parse("2026-11-26T00:00:00.000Z");
const toMs = fromMs + 2 * 60 * minute;
const tenants = [
  { id: "contoso", queries: ["alert-info", "alert-evidence"] },
  { id: "fabrikam", queries: ["alert-info"] },
];
/** 24 five-minute windows per query: 48 for contoso, then 24 for fabrikam. */
const requests: BackfillRequest[] = tenants.map((t) => ({
  tenant: t.id,
  queries: t.queries,
  fromMs,
  toMs,
  windowMs: 5 * minute,
  nowMs: startedAtMs,
}));
const run: BackfillRun = {
  id: "b-crash",
  startedAtMs,
  fromMs,
  toMs,
  windowMs: 5 * minute,
  tenants,
  windows: 72,
  enqueue: { sent: 0, complete: false, atMs: startedAtMs },
};

let dir: string;
let queue: EmbeddedQueueClient;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xdr-enqueue-run-"));
  // Enqueued-time stamps after the run's start, as they would be: the queue's clock is the run's.
  queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite"), clock: { now: () => startedAtMs + 1_000 } });
});
afterEach(async () => {
  await queue.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The backfill lane's sender, killed (throwing, as a dying process stops) at its `killAt`-th send from 1. */
function dyingSender(killAt: number): QueueSender {
  const sender = queue.createSender("windows-backfill");
  let sends = 0;
  return {
    sendMessages: async (messages) => {
      if (++sends >= killAt) throw new Error("killed");
      await sender.sendMessages(messages);
    },
    close: () => sender.close(),
  };
}

async function attempt(
  store: MemoryCheckpointStore,
  recorded: BackfillRun,
  backfill: QueueSender,
  now = startedAtMs,
  signal?: AbortSignal,
) {
  return enqueueRun({
    ...(signal && { signal }),
    run: recorded,
    requests,
    lanes: { backfill, live: queue.createSender("windows") },
    store,
    logger: silentLogger,
    batchSize: 10,
    now: () => now,
  });
}

const peek = { peek: (name: string, o: object) => queue.peekMessages(name, o as never), depth: (n: string) => queue.stats(n) };

describe("a backfill whose process dies mid-enqueue", () => {
  it("is reported as incomplete with how many windows went out, and a second run sends exactly the rest", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    // Dies on its 6th send: 5 sends of 10 went out (contoso's 48 need 5), fabrikam's 24 did not.
    await expect(attempt(store, run, dyingSender(6))).rejects.toThrow("killed");
    expect(queue.stats("windows-backfill").active).toBe(48);

    const [recorded] = await readBackfillRuns(store);
    expect(recorded?.enqueue).toMatchObject({ sent: 48, complete: false });
    const later = () => startedAtMs + 2 * minute;
    const snapshot = await readSnapshot({ run, queue: { client: queue, ...peek }, store, now: later });
    expect(snapshot.progress).toMatchObject({ total: 72, done: 0, pending: 48, unsent: 24 });
    expect(enqueueNotice(snapshot)).toBe(
      "enqueue incomplete: 48 of 72 windows sent — run the same backfill again " +
        "(`xdr-relay backfill --from 2026-11-26T00:00:00.000Z --to 2026-11-26T02:00:00.000Z`, " +
        "configured for the same tenants and queries: contoso (alert-info, alert-evidence); fabrikam (alert-info)) to send the rest",
    );

    // The same backfill asked for again finds the run and goes on with it.
    const again = unfinishedRunLike(await readBackfillRuns(store), { fromMs, toMs, windowMs: 5 * minute, tenants });
    expect(again?.id).toBe("b-crash");
    expect(enqueueState(again as BackfillRun, later())).toMatchObject({ kind: "stopped", sent: 48 });
    const resumed = await attempt(store, again as BackfillRun, queue.createSender("windows-backfill"));
    expect(resumed.sentNow).toBe(24); // what `backfill` then says it enqueued, not the run's 72

    expect(queue.stats("windows-backfill")).toMatchObject({ active: 72, duplicatesDropped: 0 });
    const windows = await queue.peekMessages("windows-backfill", { maxMessageCount: 1_000 });
    const grid = windows.map((m) => m.body as { tenant: string; query: string; start: string });
    expect(new Set(grid.map((w) => `${w.tenant}|${w.query}|${w.start}`)).size).toBe(72);
    const done = await readSnapshot({ run, queue: { client: queue, ...peek }, store, now: later });
    expect(done.enqueue).toEqual({ kind: "complete" });
    expect(done.progress).toMatchObject({ total: 72, pending: 72, unsent: 0 });
    expect(unfinishedRunLike(await readBackfillRuns(store), run)).toBeUndefined();
  });

  it("sends again under the same ids a batch sent but not yet counted, so duplicate detection drops it", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    // Killed between its 4th send and writing it down: the record says 30, the queue holds 40.
    let writes = 0;
    store.beforeWrite = async () => {
      if (++writes === 4) throw new Error("killed");
    };
    await expect(attempt(store, run, queue.createSender("windows-backfill"))).rejects.toThrow("killed");
    store.beforeWrite = async () => undefined;
    const [recorded] = await readBackfillRuns(store);
    expect([recorded?.enqueue?.sent, queue.stats("windows-backfill").active]).toEqual([30, 40]);
    const status = await readSnapshot({ run, queue: { client: queue, ...peek }, store, now: () => startedAtMs + 2 * minute });
    expect(status.progress, "what is on the queue was sent").toMatchObject({ pending: 40, unsent: 32 });

    await attempt(store, recorded as BackfillRun, queue.createSender("windows-backfill"));
    expect(queue.stats("windows-backfill")).toMatchObject({ active: 72, duplicatesDropped: 10 });
  });
});

describe("a backfill whose enqueue fails or is stopped", () => {
  it("records a failed try as stopped, so the same backfill asked for again at once goes on with it", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    await expect(attempt(store, run, dyingSender(3))).rejects.toThrow("killed");
    const [recorded] = await readBackfillRuns(store);
    // Not "sending" for a minute: its try said it stopped.
    expect(enqueueState(recorded as BackfillRun, startedAtMs + 1_000)).toMatchObject({ kind: "stopped", sent: 20 });
    const resumed = await attempt(store, recorded as BackfillRun, queue.createSender("windows-backfill"));
    expect(resumed.sentNow).toBe(52);
    expect(queue.stats("windows-backfill")).toMatchObject({ active: 72, duplicatesDropped: 0 });
    expect(enqueueState((await readBackfillRuns(store))[0] as BackfillRun, startedAtMs + 1_000)).toEqual({ kind: "complete" });
  });

  it("stops after the send under way when asked to, and says how far it got", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    const controller = new AbortController();
    const sender = queue.createSender("windows-backfill");
    let sends = 0;
    const stopping: QueueSender = {
      sendMessages: async (messages) => {
        await sender.sendMessages(messages);
        if (++sends === 2) controller.abort(); // Ctrl-C during the second send
      },
      close: () => sender.close(),
    };
    await expect(attempt(store, run, stopping, startedAtMs, controller.signal)).rejects.toThrow(
      new EnqueueStopped("backfill b-crash stopped after 20 of 72 windows were enqueued"),
    );
    expect(queue.stats("windows-backfill").active).toBe(20);
    const [recorded] = await readBackfillRuns(store);
    expect(enqueueState(recorded as BackfillRun, startedAtMs)).toMatchObject({ kind: "stopped", sent: 20 });
  });

  it("hears a stop signalled from outside its sends (Ctrl-C is a signal handler: a timer's turn, not a microtask)", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const sending = attempt(store, run, queue.createSender("windows-backfill"), startedAtMs, controller.signal);
    await expect(sending).rejects.toThrow(EnqueueStopped);
    expect(queue.stats("windows-backfill").active).toBeLessThan(72);
  });

  it("stops after the send under way once the run is cancelled from elsewhere", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    const sender = queue.createSender("windows-backfill");
    let sends = 0;
    const cancelledMeanwhile: QueueSender = {
      sendMessages: async (messages) => {
        await sender.sendMessages(messages);
        if (++sends === 2) await cancelBackfillRun(store, run.id, startedAtMs + 500); // `backfill cancel` in another process
      },
      close: () => sender.close(),
    };
    const sending = attempt(store, run, cancelledMeanwhile);
    await expect(sending).rejects.toThrow(EnqueueCancelled);
    await expect(sending).rejects.toThrow("stopped after 20 of 72 windows");
    expect(queue.stats("windows-backfill").active).toBe(20);
  });

  it("sends nothing when asked to stop before its first send", async () => {
    const store = new MemoryCheckpointStore();
    await recordBackfillRun(store, run);
    const stopped = new AbortController();
    stopped.abort();
    const sending = attempt(store, run, queue.createSender("windows-backfill"), startedAtMs, stopped.signal);
    await expect(sending).rejects.toThrow("backfill b-crash stopped after 0 of 72 windows were enqueued");
    expect(queue.stats("windows-backfill").active).toBe(0);
    const [recorded] = await readBackfillRuns(store);
    expect(enqueueState(recorded as BackfillRun, startedAtMs)).toMatchObject({ kind: "stopped", sent: 0 });
  });
});
