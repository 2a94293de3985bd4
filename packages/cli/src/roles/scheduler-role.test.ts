import {
  type CheckpointStore,
  CounterMetrics,
  type OutgoingMessage,
  RelayConfig,
  silentLogger,
  systemClock,
} from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../wiring/pipeline.ts";
import { scheduleDeps, tickOnce } from "./scheduler-role.ts";

/** A checkpoint store whose reads fail for one tenant, as a busy or unreachable store would. */
function storeFailingFor(tenant: string): CheckpointStore {
  const values = new Map<string, string>();
  return {
    async read(key) {
      if (key.includes(`/${tenant}/`)) throw new Error("database is locked");
      const value = values.get(key);
      return value === undefined ? undefined : { value, etag: value };
    },
    async write(key, value) {
      values.set(key, value);
      return value;
    },
  };
}

describe("scheduler tick", () => {
  it("goes on with the other tenants when one tenant's checkpoint cannot be read, and reports it", async () => {
    const sent: OutgoingMessage[] = [];
    const config = RelayConfig.parse({
      auth: "none",
      ingestion: { endpoint: "http://127.0.0.1:1", dcrId: "d" },
      tenants: [
        { id: "broken", queries: ["alert-info"] },
        { id: "healthy", queries: ["alert-info"] },
      ],
      schedule: { resweepOffsetsMs: [] },
    });
    const metrics = new CounterMetrics();
    const p = {
      config,
      store: storeFailingFor("broken"),
      queue: {
        client: {
          createSender: () => ({ sendMessages: async (m: OutgoingMessage[]) => void sent.push(...m), close: async () => {} }),
        },
      },
      clock: systemClock,
      logger: silentLogger,
      metrics,
    } as unknown as Pipeline;
    const result = await tickOnce(p, scheduleDeps(p));
    expect(result.failed).toBe(1);
    expect(metrics.get("tickFailed")).toBe(1);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((m) => (m.body as { tenant: string }).tenant === "healthy")).toBe(true);
  });
});
