import { appendFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWorkspace } from "../src/ingestion/index.ts";
import { alertRows, ruleId, startEmulatorFixture, streamName, table } from "./ingestion-fixtures.ts";

const alertIds = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r["AlertId"]).sort();

describe("ingestion emulator workspace", () => {
  it("lands rows sent with the SDK, readable from a workspace reopened on its directory", async () => {
    await using fx = await startEmulatorFixture();
    const rows = alertRows(250);
    await fx.client.upload(ruleId, streamName, rows);

    const reopened = openWorkspace(fx.dir);
    expect(await reopened.tables()).toEqual([table]);
    expect(await reopened.count(table)).toBe(250);
    expect(await reopened.readAll(table)).toEqual(rows);
    // One call, gzipped, with no Authorization header: the loopback client's bearer policy is gone.
    expect(fx.emulator.stats).toMatchObject({ calls: 1, callsGzipped: 1, authorization: { absent: 1 } });
  });

  it("lands every chunk of an upload the SDK splits and sends concurrently", async () => {
    await using fx = await startEmulatorFixture();
    // ~190 bytes a row: the SDK's 1,000,000-byte chunks carry ~5,000 commas more than it counted,
    // which Azure's 1 MiB limit takes (a 1,000,000-byte limit would answer them 413).
    const rows = alertRows(20_000);
    await fx.client.upload(ruleId, streamName, rows, { maxConcurrency: 4 });

    expect(fx.emulator.stats.calls).toBeGreaterThanOrEqual(4);
    expect(fx.emulator.stats.rejected).toEqual({});
    expect(await fx.emulator.workspace.count(table)).toBe(20_000);
    expect(alertIds(await openWorkspace(fx.dir).readAll(table))).toEqual(alertIds(rows));
  });

  it("keeps what landed across a restart and appends after it", async () => {
    await using fx = await startEmulatorFixture({ fsync: true });
    const reader = openWorkspace(fx.dir);
    await fx.client.upload(ruleId, streamName, alertRows(10));
    expect(await reader.count(table)).toBe(10);

    await fx.restart();
    await fx.client.upload(ruleId, streamName, alertRows(5));
    // The same reader counts on from where it was: it rereads only the new tail.
    expect(await reader.count(table)).toBe(15);
    expect(await openWorkspace(fx.dir).count(table)).toBe(15);
  });

  it("ignores a line torn by a crash and cuts it before the next append", async () => {
    await using fx = await startEmulatorFixture();
    await fx.emulator.close();
    await mkdir(fx.dir, { recursive: true });
    await appendFile(join(fx.dir, `${table}.jsonl`), '{"AlertId":"a"}\n{"AlertId":"b"}\n{"AlertId":"to');
    expect(await openWorkspace(fx.dir).count(table)).toBe(2);

    await fx.restart();
    await fx.client.upload(ruleId, streamName, alertRows(1));
    const landed = await openWorkspace(fx.dir).readAll(table);
    expect(landed.map((r) => r["AlertId"])).toEqual(["a", "b", "da000000"]);
  });

  it("reads an empty or missing workspace as empty and refuses a path for a table name", async () => {
    const workspace = openWorkspace(join(tmpdir(), `xdr-ingestion-missing-${process.pid}`));
    expect(await workspace.tables()).toEqual([]);
    expect(await workspace.count(table)).toBe(0);
    expect(await workspace.readAll(table)).toEqual([]);
    await expect(workspace.count("../etc/passwd")).rejects.toThrow(/not a table name/);
  });
});
