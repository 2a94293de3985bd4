import { isConfigError } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { type DataCollectionRule, maxFieldValueBytes, startIngestionEmulator } from "../src/ingestion/index.ts";
import { alertRow, alertRule, ruleId, startEmulatorFixture, streamName, table } from "./ingestion-fixtures.ts";

const hourMs = 3_600_000;
const receivedAt = Date.parse("2026-11-20T12:00:00.000Z");
const at = (offsetMs: number) => new Date(receivedAt + offsetMs).toISOString();

describe("ingestion emulator schema rules", () => {
  it("drops properties the stream does not declare and counts them per stream", async () => {
    await using fx = await startEmulatorFixture({ now: () => receivedAt });
    const declared = [0, 1, 2].map((n) => alertRow(n, receivedAt));
    // `Title` as Defender names it and a misspelt column: both vanish without an error.
    const sent = declared.map((row, n) => ({ ...row, Title: "raw title", ...(n < 2 ? { Sevrity: "Low" } : {}) }));
    await fx.client.upload(ruleId, streamName, sent);

    expect(await fx.emulator.workspace.readAll(table)).toEqual(declared);
    expect(fx.emulator.stats.streams[streamName]?.columnsDropped).toEqual({ Title: 3, Sevrity: 2 });
    expect(fx.emulator.stats.columnsDropped).toBe(5);
  });

  it("replaces a TimeGenerated over 2 days old or 1 day ahead with the receive time, and fills a missing one", async () => {
    await using fx = await startEmulatorFixture({ now: () => receivedAt });
    const sent = [at(-47 * hourMs), at(-49 * hourMs), at(23 * hourMs), at(25 * hourMs), "not a date", undefined];
    await fx.client.upload(
      ruleId,
      streamName,
      sent.map((time, n) => ({ ...alertRow(n), TimeGenerated: time })),
    );

    const landed = (await fx.emulator.workspace.readAll(table)).map((r) => r["TimeGenerated"]);
    const now = at(0);
    expect(landed).toEqual([sent[0], now, sent[2], now, now, now]);
    expect(fx.emulator.stats.timeGeneratedReplaced).toBe(3);
    expect(fx.emulator.stats.streams[streamName]?.timeGeneratedReplaced).toBe(3);
  });

  it("stamps the receive time on a stream that declares no TimeGenerated", async () => {
    const rule: DataCollectionRule = {
      immutableId: ruleId,
      streams: { "Custom-Plain": { outputTable: "Plain_CL", columns: [{ name: "AlertId", type: "string" }] } },
    };
    await using fx = await startEmulatorFixture({ rules: [rule], now: () => receivedAt });
    await fx.client.upload(ruleId, "Custom-Plain", [{ AlertId: "a", TimeGenerated: at(-hourMs) }]);

    expect(await fx.emulator.workspace.readAll("Plain_CL")).toEqual([{ AlertId: "a", TimeGenerated: at(0) }]);
    expect(fx.emulator.stats.streams["Custom-Plain"]?.columnsDropped).toEqual({ TimeGenerated: 1 });
  });

  it("cuts a string value over 64 KB at a character boundary", async () => {
    await using fx = await startEmulatorFixture();
    await fx.client.upload(ruleId, streamName, [{ ...alertRow(0), AlertTitle: "é".repeat(maxFieldValueBytes) }]);

    const [row] = await fx.emulator.workspace.readAll(table);
    expect(row?.["AlertTitle"]).toBe("é".repeat(maxFieldValueBytes / 2));
    expect(fx.emulator.stats.valuesTruncated).toBe(1);
  });

  it("stores null for a value its column's type cannot hold, and counts it", async () => {
    await using fx = await startEmulatorFixture({ now: () => receivedAt });
    const row = alertRow(0, receivedAt);
    await fx.client.upload(ruleId, streamName, [{ ...row, Timestamp: "yesterday" }, alertRow(1, receivedAt)]);

    const landed = await fx.emulator.workspace.readAll(table);
    expect(landed.map((r) => r["Timestamp"])).toEqual([null, alertRow(1, receivedAt)["Timestamp"]]);
    expect(fx.emulator.stats.valuesNulled).toBe(1);
    expect(fx.emulator.stats.streams[streamName]?.valuesNulled).toBe(1);
  });

  it.each([
    ["a reserved column", { name: "Title", type: "string" }, /reserved by Log Analytics/],
    ["a column name with a dash", { name: "Alert-Id", type: "string" }, /must start with a letter/],
    ["an unknown column type", { name: "Count", type: "integer" }, /unknown type "integer"/],
  ] as const)("refuses a rule Azure would not deploy: %s", async (_, column, message) => {
    const stream = alertRule.streams[streamName];
    if (stream === undefined) throw new Error("fixture has no alert stream");
    const rule = { immutableId: ruleId, streams: { [streamName]: { ...stream, columns: [...stream.columns, column] } } };
    const started = startIngestionEmulator({ workspaceDir: "/unused", rules: [rule as DataCollectionRule] });
    await expect(started).rejects.toSatisfy((e: unknown) => isConfigError(e) && message.test(e.message));
  });
});
