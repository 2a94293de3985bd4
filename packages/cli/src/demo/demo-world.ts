import { join } from "node:path";
import type { RelayConfig } from "@xdr-relay/core";
import { RelayConfig as RelayConfigSchema } from "@xdr-relay/core";
import {
  type HuntingEmulator,
  type IngestionEmulator,
  SyntheticTenant,
  startHuntingEmulator,
  startIngestionEmulator,
} from "@xdr-relay/emulators";
import { declareStreams } from "./declare-streams.ts";
import type { DemoPlan } from "./demo-plan.ts";

export const demoTenant = "contoso";
const demoQueries = ["alert-info", "alert-evidence"] as const;

/** The demo's stand-ins for Defender and Log Analytics, and the config that points at them. */
export interface DemoWorld extends AsyncDisposable {
  readonly hunting: HuntingEmulator;
  readonly ingestion: IngestionEmulator;
  readonly tenant: SyntheticTenant;
  readonly config: RelayConfig;
  /** Moves the emulated Defender's clock forward (late rows become visible). */
  advance(ms: number): void;
}

export async function startDemoWorld(plan: DemoPlan, dataDir: string): Promise<DemoWorld> {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const tenant = new SyntheticTenant({
    id: demoTenant,
    seed: 2026,
    startMs: plan.startMs,
    endMs: plan.endMs,
    alertsPerHour: plan.alertsPerHour,
    evidencePerAlert: plan.evidencePerAlert,
    edgeRowsEveryMs: plan.windowMs * 6,
    bursts: [{ startMs: plan.startMs + 9 * 3_600_000, endMs: plan.startMs + 9.5 * 3_600_000, alerts: plan.alertsPerHour }],
    late: { fraction: 0.02, minDelayMs: 20 * 60_000, maxDelayMs: plan.resweepAfterMs },
  });
  // The real per-tenant quota is 45 calls/min; the demo's day is 576 calls, so its Defender is generous.
  const hunting = await startHuntingEmulator({ tenants: [tenant], now, callsPerMinute: 100_000 });
  const streams = await declareStreams(hunting.url, demoTenant, demoQueries, now());
  const ingestion = await startIngestionEmulator({
    workspaceDir: join(dataDir, "workspace"),
    rules: [{ immutableId: "dcr-00000000000000000000000000demo", streams }],
    now,
  });
  const config = RelayConfigSchema.parse({
    dataDir,
    auth: "none",
    // The emulated Defender is generous (see above); the relay's own budget must not be tighter.
    hunting: { url: hunting.url, callsPerMinute: 100_000, callsPerHour: 6_000_000 },
    ingestion: {
      endpoint: ingestion.endpoint,
      dcrId: "dcr-00000000000000000000000000demo",
      lingerMs: 200,
      // Declared as an operator would (from `xdr-relay schema`), so the sink checks every row's
      // columns and value types against the rule, as a configured deployment does.
      streams: Object.fromEntries(Object.entries(streams).map(([name, s]) => [name, { columns: s.columns }])),
    },
    schedule: {
      windowMs: plan.windowMs,
      lagMs: plan.lagMs,
      startAt: new Date(plan.startMs).toISOString(),
      maxWindowsPerTick: 100_000,
      // The demo re-sweeps explicitly after moving the emulated Defender's clock (see demo.ts):
      // on the real clock the scheduler's own +1 h sweep would only re-find the same rows.
      resweepOffsetsMs: [],
    },
    tenants: [{ id: demoTenant, queries: [...demoQueries] }],
  });
  return {
    hunting,
    ingestion,
    tenant,
    config,
    advance: (ms) => {
      offsetMs += ms;
    },
    async [Symbol.asyncDispose]() {
      await hunting.close();
      await ingestion.close();
    },
  };
}
