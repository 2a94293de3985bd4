import { describe, expect, it } from "vitest";
import { alertRows, failedUpload, ruleId, startEmulatorFixture, streamName, table } from "./ingestion-fixtures.ts";

describe("ingestion emulator injected faults", () => {
  it("a 429 with Retry-After is retried by the SDK after the wait, then lands", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.faults.push({ status: 429, retryAfterSeconds: 0.2 });
    const started = performance.now();
    await fx.client.upload(ruleId, streamName, alertRows(3));

    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(fx.emulator.stats).toMatchObject({ calls: 2, rejected: { 429: 1 }, rowsAccepted: 3 });
  });

  it("a 429 without Retry-After is not retried: the upload throws and onError gets the failed rows", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.faults.push({ status: 429 });
    const rows = alertRows(3);
    const failed = await failedUpload((onError) => fx.client.upload(ruleId, streamName, rows, { onError }));

    expect(failed.statuses).toEqual([429]);
    expect(failed.reported.map((f) => f.failedLogs)).toEqual([rows]);
    expect(fx.emulator.stats.calls).toBe(1);
    expect(await fx.emulator.workspace.count(table)).toBe(0);
  });

  it("503, 500 and a reset connection are retried with backoff, then the rows land once", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.faults.push({ status: 503 }, { status: 500 }, { resetConnection: true });
    await fx.client.upload(ruleId, streamName, alertRows(3));

    expect(fx.emulator.stats).toMatchObject({ calls: 4, rejected: { 503: 1, 500: 1 } });
    expect(await fx.emulator.workspace.count(table)).toBe(3);
  });

  it("a poisoned row makes the whole call 400, which the SDK does not retry: nothing of it lands", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.rejectWhen = (row) => (row["AlertId"] === "da000001" ? "AlertId da000001 is poisoned" : undefined);
    const failed = await failedUpload((onError) => fx.client.upload(ruleId, streamName, alertRows(3), { onError }));

    expect(failed.statuses).toEqual([400]);
    expect(failed.messages).toEqual(["Record 1 was rejected: AlertId da000001 is poisoned"]);
    expect(fx.emulator.stats.calls).toBe(1);
    expect(await fx.emulator.workspace.count(table)).toBe(0);
  });

  it("scripted 400 and 403 carry their message to the SDK's error", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.faults.push({ status: 400, message: "bad row 7" }, { status: 403 });
    const first = await failedUpload((onError) => fx.client.upload(ruleId, streamName, alertRows(1), { onError }));
    const second = await failedUpload((onError) => fx.client.upload(ruleId, streamName, alertRows(1), { onError }));

    expect([first.statuses, first.messages]).toEqual([[400], ["bad row 7"]]);
    expect(second.statuses).toEqual([403]);
    // Azure's text, which names the rule (the SDK's troubleshooting guide quotes it).
    expect(second.messages[0]).toBe(
      `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${ruleId}'.`,
    );
  });

  it("a call delayed past the client's abort still lands, as a timed-out call to Azure may", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.faults.push({ delayMs: 300 });
    const abortSignal = AbortSignal.timeout(50);
    await failedUpload((onError) => fx.client.upload(ruleId, streamName, alertRows(2), { onError, abortSignal }));

    await expect.poll(() => fx.emulator.workspace.count(table), { timeout: 2_000 }).toBe(2);
  });

  it("closing during a delayed call returns promptly and lands nothing", async () => {
    await using fx = await startEmulatorFixture();
    fx.emulator.faults.push({ delayMs: 30_000 });
    const upload = fx.client
      .upload(ruleId, streamName, alertRows(2), { abortSignal: AbortSignal.timeout(5_000) })
      .catch(() => "failed");
    await expect.poll(() => fx.emulator.stats.calls).toBe(1);
    const started = performance.now();
    await fx.emulator.close();

    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await fx.emulator.workspace.count(table)).toBe(0);
    await upload;
  });
});
