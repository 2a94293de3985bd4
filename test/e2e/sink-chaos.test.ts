import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RowMessage } from "@xdr-relay/core";
import { type IngestionEmulator, type IngestionRejectWhen, startIngestionEmulator } from "@xdr-relay/emulators";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { describe, expect, it } from "vitest";
import { startCli } from "./cli-process.ts";
import { alertRow, dcrId, declaration, declaredColumns, stream, table } from "./sink/row-messages.ts";
import { until } from "./sink/until.ts";
import { tempDirs } from "./temp-dir.ts";

/**
 * The sink's promise under chaos: every row ends in the workspace XOR in the dead-letter queue
 * with the right reason, none in both, none in neither. Without a crash nothing lands twice; a
 * SIGKILL mid-upload duplicates at most the batch in flight, and the copies share their RowId.
 * The sink is the real `xdr-relay run --role sink` process; Logs Ingestion is the emulator.
 */
const tempDir = tempDirs();

const poisoned = alertRow(123).row["AlertId"];
const drifted = (i: number) => i % 50 === 7;

function writeConfig(
  dir: string,
  name: string,
  ingestion: IngestionEmulator,
  overrides: { lockDurationMs: number; batchMaxRows: number; maxConcurrency: number },
): string {
  const path = join(dir, name);
  const config = {
    dataDir: join(dir, "data"),
    auth: "none",
    queue: { lockDurationMs: overrides.lockDurationMs },
    hunting: { url: "http://127.0.0.1:9/unused" },
    ingestion: {
      endpoint: ingestion.endpoint,
      dcrId,
      lingerMs: 0,
      batchMaxRows: overrides.batchMaxRows,
      maxConcurrency: overrides.maxConcurrency,
      streams: { [stream]: { columns: declaredColumns } },
      schemaDriftPolicy: "deadLetter",
    },
    tenants: [{ id: "contoso" }],
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** `xdr-relay run --role sink`, as an operator (or a container) runs it. */
function startSink(configPath: string, options: { untilIdle: boolean }) {
  return startCli(["run", "--role", "sink", "--config", configPath, ...(options.untilIdle ? ["--until-idle"] : [])]);
}

async function enqueue(queue: EmbeddedQueueClient, messages: readonly RowMessage[]): Promise<void> {
  await queue.createSender("rows").sendMessages(messages.map((m) => ({ messageId: m.rowId, body: m })));
}

/** AlertId → how many times it landed, and the RowIds it landed with. */
async function landed(ingestion: IngestionEmulator): Promise<Map<string, { count: number; rowIds: Set<string> }>> {
  const byAlert = new Map<string, { count: number; rowIds: Set<string> }>();
  for (const row of await ingestion.workspace.readAll(table)) {
    const entry = byAlert.get(String(row["AlertId"])) ?? { count: 0, rowIds: new Set<string>() };
    entry.count++;
    entry.rowIds.add(String(row["RowId"]));
    byAlert.set(String(row["AlertId"]), entry);
  }
  return byAlert;
}

/** AlertId → dead-letter reason, for every dead-lettered row message. */
async function deadLettered(queue: EmbeddedQueueClient): Promise<Map<string, string>> {
  const dead = await queue.peekMessages("rows", { subQueue: "deadLetter", maxMessageCount: 10_000 });
  return new Map(dead.map((m) => [String((m.body as RowMessage).row["AlertId"]), String(m.deadLetterReason)]));
}

/** The emulator with the test rule, and the queue in `<dir>/data` that `xdr-relay` opens there; both closed on dispose. */
async function sinkWorld(dir: string, rejectWhen?: IngestionRejectWhen) {
  const ingestion = await startIngestionEmulator({
    workspaceDir: join(dir, "workspace"),
    rules: [{ immutableId: dcrId, streams: { [stream]: declaration } }],
    ...(rejectWhen ? { rejectWhen } : {}),
  });
  mkdirSync(join(dir, "data"));
  const queue = new EmbeddedQueueClient({ path: join(dir, "data", "queue.sqlite") });
  return {
    ingestion,
    queue,
    async [Symbol.asyncDispose]() {
      await queue.close();
      await ingestion[Symbol.asyncDispose]();
    },
  };
}

/** `sinkWorld` with `count` rows queued (alerts numbered from `first`) and the next `calls` uploads each held `delayMs`. */
async function heldUploads(dir: string, rows: { first: number; count: number }, held: { calls: number; delayMs: number }) {
  const world = await sinkWorld(dir);
  const queued = Array.from({ length: rows.count }, (_, i) => alertRow(rows.first + i));
  await enqueue(world.queue, queued);
  for (let i = 0; i < held.calls; i++) world.ingestion.faults.push({ delayMs: held.delayMs });
  return { ...world, rows: queued };
}

describe("sink chaos", () => {
  it("accounts for every row exactly once through 429s, 5xx, 413, a poisoned row, schema drift and a SIGKILL", {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir("xdr-sink-chaos-");
    await using world = await sinkWorld(dir, (record) => (record["AlertId"] === poisoned ? "AlertId is poisoned" : undefined));
    const { ingestion, queue } = world;
    // Phase 1: faults, no crash. The 413 comes first so it meets a full batch (a 413 on one row
    // is RowTooLarge, which is right, but not what this row deserves).
    const phase1 = Array.from({ length: 300 }, (_, i) => alertRow(i, drifted(i) ? { NewColumn: "x" } : {}));
    await enqueue(queue, phase1);
    ingestion.faults.push(
      { status: 413 },
      { status: 429, retryAfterSeconds: 0.01 },
      { status: 429 },
      { status: 503 },
      { status: 503 },
      { status: 500 },
    );
    const calm = writeConfig(dir, "phase1.json", ingestion, { lockDurationMs: 30_000, batchMaxRows: 50, maxConcurrency: 2 });
    const first = await startSink(calm, { untilIdle: true }).result;
    // It dead-lettered the poisoned row and the drifted ones: a cron run says so by its exit code.
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain(`this run dead-lettered ${1 + phase1.filter((_, i) => drifted(i)).length} messages (exit 1)`);
    expect(ingestion.faults).toHaveLength(0);
    expect(ingestion.stats.rejected).toMatchObject({ 400: expect.any(Number), 413: 1, 429: 2, 500: 1, 503: 2 });
    const afterPhase1 = await landed(ingestion);
    expect(
      [...afterPhase1.values()].filter((e) => e.count > 1),
      "no duplicate without a crash",
    ).toEqual([]);

    // Phase 2: a sink is killed while its upload is held in flight; the call still lands (as on
    // Azure, a call the client gave up on may have been taken), the messages are not settled.
    const inFlightBatch = 40;
    const phase2 = Array.from({ length: 120 }, (_, i) => alertRow(1_000 + i));
    await enqueue(queue, phase2);
    const callsBefore = ingestion.stats.calls;
    ingestion.faults.push({ delayMs: 1_500 });
    const crashy = writeConfig(dir, "phase2.json", ingestion, {
      lockDurationMs: 5_000,
      batchMaxRows: inFlightBatch,
      maxConcurrency: 1,
    });
    const doomed = startSink(crashy, { untilIdle: false });
    await until(() => ingestion.stats.calls > callsBefore, 20_000, "the held upload to start");
    doomed.child.kill("SIGKILL");
    expect((await doomed.result).signal).toBe("SIGKILL");
    const second = await startSink(crashy, { untilIdle: true }).result;
    expect(second.code, second.stderr).toBe(0);
    await until(async () => (await landed(ingestion)).size >= 120 + 300 - 7, 10_000, "the held upload to land");

    // Every row: in the workspace XOR dead-lettered with the reason it deserves.
    const rows = await landed(ingestion);
    const dead = await deadLettered(queue);
    const expectedReason = (m: RowMessage) =>
      m.row["AlertId"] === poisoned ? "IngestionRejected" : "NewColumn" in m.row ? "SchemaDrift" : undefined;
    for (const m of [...phase1, ...phase2]) {
      const alertId = String(m.row["AlertId"]);
      const reason = expectedReason(m);
      expect([rows.has(alertId), dead.get(alertId)], alertId).toEqual([reason === undefined, reason]);
    }
    expect(dead.size).toBe(1 + phase1.filter((_, i) => drifted(i)).length);

    // Duplicates: only from the crash, at most the batch in flight, each copy under the same RowId.
    const duplicated = [...rows].filter(([, e]) => e.count > 1);
    const duplicates = duplicated.reduce((n, [, e]) => n + e.count - 1, 0);
    console.log(`sink chaos: ${duplicates} duplicate rows from one SIGKILL mid-upload (batch in flight: ${inFlightBatch})`);
    expect(duplicates).toBeLessThanOrEqual(inFlightBatch);
    for (const [alertId, e] of duplicated) {
      expect(alertId.startsWith("da0010"), "only phase-2 rows").toBe(true);
      expect(e.rowIds.size, alertId).toBe(1);
    }
    expect(ingestion.stats.columnsDropped, "nothing dropped silently").toBe(0);
  });

  it("lands every row once with two sink processes on one data directory, each taking a share", {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir("xdr-sink-two-");
    // Slow calls (30 of 20 rows, 0.5 s each), so one process cannot drain it all before the other starts.
    await using world = await heldUploads(dir, { first: 5_000, count: 600 }, { calls: 30, delayMs: 500 });
    const { ingestion, queue, rows } = world;
    const config = writeConfig(dir, "two.json", ingestion, { lockDurationMs: 30_000, batchMaxRows: 20, maxConcurrency: 1 });
    const results = await Promise.all([
      startSink(config, { untilIdle: true }).result,
      startSink(config, { untilIdle: true }).result,
    ]);
    const ingestedBy = results.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return Number(/rowsIngested=(\d+)/.exec(r.stdout)?.[1]);
    });
    expect(
      ingestedBy.every((n) => n > 0),
      `rows ingested by each: ${ingestedBy}`,
    ).toBe(true);
    expect(ingestedBy.reduce((a, b) => a + b, 0)).toBe(rows.length);
    const landedRows = await landed(ingestion);
    expect(landedRows.size).toBe(rows.length);
    expect(
      [...landedRows.values()].filter((e) => e.count > 1),
      "no row twice",
    ).toEqual([]);
    expect(queue.stats("rows")).toMatchObject({ active: 0, locked: 0, deadLettered: 0 });
  });

  it("stops within its grace while the service hangs, putting every row back as it came", { timeout: 120_000 }, async () => {
    const dir = tempDir("xdr-sink-stop-");
    // Every call hangs for four minutes, as a service that never answers.
    await using world = await heldUploads(dir, { first: 7_000, count: 200 }, { calls: 20, delayMs: 240_000 });
    const { ingestion, queue, rows } = world;
    const config = writeConfig(dir, "hung.json", ingestion, { lockDurationMs: 60_000, batchMaxRows: 20, maxConcurrency: 2 });
    const sink = startSink(config, { untilIdle: false });
    await until(() => ingestion.stats.calls >= 2, 20_000, "both upload slots to hang");
    const stoppedAt = Date.now();
    sink.child.kill("SIGTERM");
    const result = await sink.result;
    expect(result.code, result.stderr).toBe(0);
    // The grace is 20 s: then the two calls in flight are given up, and the held batches never start.
    expect(Date.now() - stoppedAt, "time from SIGTERM to exit").toBeLessThan(30_000);
    expect(ingestion.stats.calls, "no upload started after the stop").toBe(2);
    expect(result.stderr).toContain('"batchPutBack"');
    // Every row is back on the queue, due now, no attempt spent: none lost, none locked.
    expect(queue.stats("rows")).toMatchObject({ active: 200, locked: 0, scheduled: 0, deadLettered: 0 });
    const back = await queue.peekMessages("rows", { maxMessageCount: 1_000 });
    expect(new Set(back.map((m) => (m.body as RowMessage).rowId))).toEqual(new Set(rows.map((r) => r.rowId)));
    expect(back.every((m) => (m.body as RowMessage).attempt === 0)).toBe(true);
  });
});
