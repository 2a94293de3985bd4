import { join } from "node:path";
import { CounterMetrics, consume, type LogFields, type RowMessage } from "@xdr-relay/core";
import { startIngestionEmulator } from "@xdr-relay/emulators";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { ConfigFaultPause, createIngestionClient, handleRows } from "@xdr-relay/sink";
import { describe, expect, it } from "vitest";
import { alertRow, dcrId, declaration, stream, table } from "./sink/row-messages.ts";
import { virtualClock } from "./sink/virtual-clock.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

describe("sink on a configuration fault (403 from Logs Ingestion)", () => {
  it("pauses receiving instead of burning the backlog, says how to fix it, and resumes once an upload is accepted", async () => {
    const dir = tempDir("xdr-config-fault-");
    await using ingestion = await startIngestionEmulator({
      workspaceDir: join(dir, "workspace"),
      rules: [{ immutableId: dcrId, streams: { [stream]: declaration } }],
    });
    // The role grant is missing for three calls, then it has applied.
    for (let i = 0; i < 3; i++) ingestion.faults.push({ status: 403 });
    const clock = virtualClock();
    const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite"), clock });
    const backlog = Array.from({ length: 20 }, (_, i) => alertRow(i));
    await queue.createSender("rows").sendMessages(backlog.map((m) => ({ messageId: m.rowId, body: m })));

    const errors: LogFields[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (_: string, fields?: LogFields) => void errors.push(fields ?? {}) };
    const metrics = new CounterMetrics();
    const configFault = new ConfigFaultPause(logger, metrics, 60_000);
    const client = createIngestionClient({ endpoint: ingestion.endpoint, auth: "none" });
    const deps = { client, dcrId, uploadTimeoutMs: 10_000, batchMaxRows: 2, batchMaxBytes: 950_000, maxAttempts: 3 };
    const sinkDeps = { ...deps, maxConcurrency: 1, now: () => clock.now(), logger, metrics, configFault };
    const handled: { faulted: boolean; attempts: number[]; deliveries: number[] }[] = [];
    try {
      await consume({
        queueName: "rows",
        receiver: queue.createReceiver("rows"),
        sender: queue.createSender("rows"),
        handler: async (messages) => {
          const faulted = configFault.faulted;
          handled.push({
            faulted,
            attempts: messages.map((m) => (m.body as RowMessage).attempt),
            deliveries: messages.map((m) => m.deliveryCount),
          });
          return handleRows(
            sinkDeps,
            messages.map((m) => m.body),
          );
        },
        clock,
        logger,
        metrics,
        maxBatchSize: 2,
        maxWaitTimeInMs: 50,
        signal: AbortSignal.timeout(30_000),
        shouldStopWhenEmpty: () => {
          const s = queue.stats("rows");
          return s.active + s.scheduled + s.locked === 0;
        },
        pauseFor: () => configFault.pauseFor(),
      });
    } finally {
      await queue.close();
    }

    // Only one batch per pause was received while the fault lasted: the first and two probes.
    expect(handled.slice(0, 4).map((h) => h.faulted)).toEqual([false, true, true, true]);
    expect(metrics.get("rowsReceivePaused")).toBe(3);
    expect(metrics.get("ingestionConfigFault")).toBe(3);
    expect(ingestion.stats.rejected[403]).toBe(3);
    // No attempt and no extra delivery was spent on anyone: every row is delivered once, attempt 0.
    expect(handled.flatMap((h) => h.attempts).every((a) => a === 0)).toBe(true);
    expect(handled.flatMap((h) => h.deliveries).every((d) => d === 1)).toBe(true);
    // One error, naming the role, the rule and the stream.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 403, dcrId, stream, fix: expect.stringContaining("Monitoring Metrics Publisher") });
    // And every row landed, once.
    const landed = (await ingestion.workspace.readAll(table)).map((r) => r["RowId"]);
    expect(landed.toSorted()).toEqual(backlog.map((m) => m.rowId).toSorted());
  });
});
