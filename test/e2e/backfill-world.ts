import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SyntheticTenant, startHuntingEmulator, startIngestionEmulator } from "@xdr-relay/emulators";
import { declareStreams } from "../../packages/cli/src/demo/declare-streams.ts";

const hourMs = 3_600_000;

/**
 * One tenant ("fabrikam") with `hours` of data ending three hours ago on the 5-minute grid, the
 * hunting and ingestion emulators serving it, and the environment a CLI process needs to use them.
 * Dispose it to stop the emulators.
 */
export async function startBackfillWorld(args: {
  dir: string;
  seed: number;
  hours: number;
  alertsPerHour: number;
  edgeRowsEveryMs?: number;
}) {
  const now = Date.now();
  const dataEnd = Math.floor((now - 3 * hourMs) / 300_000) * 300_000;
  const tenant = new SyntheticTenant({
    id: "fabrikam",
    seed: args.seed,
    startMs: dataEnd - args.hours * hourMs,
    endMs: dataEnd,
    alertsPerHour: args.alertsPerHour,
    ...(args.edgeRowsEveryMs === undefined ? {} : { edgeRowsEveryMs: args.edgeRowsEveryMs }),
  });
  const hunting = await startHuntingEmulator({ tenants: [tenant], callsPerMinute: Number.POSITIVE_INFINITY });
  const streams = await declareStreams(hunting.url, "fabrikam", ["alert-info", "alert-evidence"], now);
  const ingestion = await startIngestionEmulator({
    workspaceDir: join(args.dir, "workspace"),
    rules: [{ immutableId: "dcr-e2e", streams }],
  });
  const env = {
    XDR_RELAY_DATA_DIR: join(args.dir, "data"),
    XDR_RELAY_AUTH: "none",
    XDR_RELAY_HUNTING_URL: hunting.tenantUrlTemplate,
    XDR_RELAY_INGESTION_ENDPOINT: ingestion.endpoint,
    XDR_RELAY_DCR_ID: "dcr-e2e",
    XDR_RELAY_TENANTS: "fabrikam",
  };
  return {
    now,
    dataEnd,
    tenant,
    hunting,
    ingestion,
    env,
    /** Rows Defender holds for `[from, to)` in both tables, as of the world's start. */
    rowsIn: (from: string, to: string) => {
      const range = { startMs: Date.parse(from), endMs: Date.parse(to) };
      return tenant.count("AlertInfo", range, now) + tenant.count("AlertEvidence", range, now);
    },
    async [Symbol.asyncDispose]() {
      await ingestion[Symbol.asyncDispose]();
      await hunting[Symbol.asyncDispose]();
    },
  };
}

/**
 * A config file for `run` against a world: the scheduler starts at `startAt`, and the hunting
 * budget is far above what the test spends. Returns its path.
 */
export function writeScheduleConfig(dir: string, startAt: string): string {
  const path = join(dir, "xdr-relay.json");
  writeFileSync(path, JSON.stringify({ schedule: { startAt }, hunting: { callsPerMinute: 10_000, callsPerHour: 100_000 } }));
  return path;
}
