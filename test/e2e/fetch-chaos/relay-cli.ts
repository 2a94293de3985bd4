import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CliProcess, type CliResult, runCli, startCli } from "../cli-process.ts";

/** The relay's settings the chaos tests turn; everything else is the default an operator gets. */
export interface RelaySettings {
  readonly huntingUrl: string;
  /** As the config takes them: `{ id, queries, credential? }`. */
  readonly tenants: readonly { readonly id: string; readonly queries: readonly string[]; readonly credential?: unknown }[];
  readonly windowMs: number;
  readonly callsPerMinute: number;
  readonly callsPerHour: number;
  /** Short, so a window held by a killed fetcher comes back within the test; long enough for a 50,000-row window. */
  readonly lockDurationMs: number;
  /** `schedule.resweepOffsetsMs`, the re-sweeps a backfill schedules for its recent windows; default the relay's. */
  readonly resweepOffsetsMs?: readonly number[];
}

/** Writes a config file under `dir` (data in `dir/data`) and returns its path. No sink runs: the ingestion endpoint is never called. */
export function writeRelayConfig(dir: string, name: string, s: RelaySettings): string {
  const path = join(dir, name);
  const config = {
    dataDir: join(dir, "data"),
    auth: "none",
    queue: { lockDurationMs: s.lockDurationMs },
    hunting: { url: s.huntingUrl, callsPerMinute: s.callsPerMinute, callsPerHour: s.callsPerHour },
    ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-unused" },
    schedule: { windowMs: s.windowMs, resweepOffsetsMs: s.resweepOffsetsMs },
    tenants: s.tenants,
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export const queueFile = (dir: string) => join(dir, "data", "queue.sqlite");

export function backfill(config: string, fromMs: number, toMs: number, extra: readonly string[] = []): Promise<CliResult> {
  const range = ["--from", new Date(fromMs).toISOString(), "--to", new Date(toMs).toISOString()];
  return runCli(["backfill", "--config", config, ...range, ...extra]);
}

/** `xdr-relay run --role fetcher`, as a container would run it; `--until-idle` exits once no window is left. */
export function startFetcher(config: string, options: { untilIdle: boolean; logLevel?: string }): CliProcess {
  const idle = options.untilIdle ? ["--until-idle"] : [];
  return startCli(["run", "--role", "fetcher", "--config", config, "--log-level", options.logLevel ?? "warn", ...idle]);
}

/** Log events of one kind in a role's stderr (JSON lines; anything else is skipped). */
export function logEvents(stderr: string, event: string): Record<string, unknown>[] {
  return stderr.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    const entry = JSON.parse(line) as Record<string, unknown>;
    return entry["event"] === event ? [entry] : [];
  });
}
