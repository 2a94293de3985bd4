import { CounterMetrics } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { recordingLogger } from "../test/recording-logger.ts";
import { ConfigFaultPause, configFaultFix } from "./config-fault-pause.ts";

const fault = (status: number) => ({
  status,
  dcrId: "dcr-abc",
  stream: "Custom-XdrAlertInfo",
  message: `service answered ${status}`,
});

describe("ConfigFaultPause", () => {
  it("asks for no pause until a fault, then pauses until an upload is accepted", () => {
    const pause = new ConfigFaultPause(recordingLogger(), new CounterMetrics(), 5_000);
    expect(pause.pauseFor()).toBe(0);
    pause.report(fault(403));
    expect([pause.faulted, pause.pauseFor()]).toEqual([true, 5_000]);
    pause.cleared();
    expect([pause.faulted, pause.pauseFor()]).toEqual([false, 0]);
  });

  it("logs one error per fault with the fix, counts every failed call, and logs the recovery", () => {
    const logger = recordingLogger();
    const metrics = new CounterMetrics();
    const pause = new ConfigFaultPause(logger, metrics, 5_000);
    pause.report(fault(403));
    pause.report(fault(403));
    pause.cleared();
    pause.cleared();
    expect(metrics.get("ingestionConfigFault")).toBe(2);
    expect(logger.events.map((e) => [e.level, e.event])).toEqual([
      ["error", "ingestionConfigFault"],
      ["info", "ingestionConfigFaultCleared"],
    ]);
    expect(logger.events[0]?.fields).toMatchObject({ dcrId: "dcr-abc", stream: "Custom-XdrAlertInfo", status: 403 });
  });

  it.each([
    [401, ["Monitoring Metrics Publisher", "dcr-abc", "Custom-XdrAlertInfo"]],
    [403, ["Monitoring Metrics Publisher", "dcr-abc", "Custom-XdrAlertInfo", "30 minutes"]],
    [404, ["ingestion.dcrId", "dcr-abc", "Custom-XdrAlertInfo", "streamDeclarations"]],
  ])("says how to fix a %i in plain words", (status, words) => {
    const fix = configFaultFix(fault(status));
    for (const w of words) expect(fix).toContain(w);
  });
});
