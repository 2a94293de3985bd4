import { runChild } from "./child-process.ts";
import { benchDcrId } from "./ingestion-child-options.ts";
import type { SinkTrialResult } from "./sink-trial.ts";

/** Sink processes draining one queue file together, timed from the first start to the last settlement. */
export interface SideBySideDrain {
  readonly processes: number;
  readonly rowsIngested: number;
  readonly rowsPerS: number;
  /** CPU of all the sink processes per row ingested. */
  readonly cpuUsPerRow: number;
  readonly sinks: readonly SinkTrialResult[];
}

/**
 * Runs `processes` sink trials (sink-trial.ts) at once on the queue at `path`, as an operator
 * scales the sink: more `xdr-relay run --role sink` processes on the same data directory.
 */
export async function drainSideBySide(path: string, endpoint: string, processes: number): Promise<SideBySideDrain> {
  const sinks = (await Promise.all(
    Array.from({ length: processes }, () => runChild("sink-trial.ts", [path, endpoint, benchDcrId, "600000"])),
  )) as SinkTrialResult[];
  const rowsIngested = sinks.reduce((sum, s) => sum + s.rowsIngested, 0);
  const ms = Math.max(...sinks.map((s) => s.endedAtMs)) - Math.min(...sinks.map((s) => s.startedAtMs));
  const cpuMs = sinks.reduce((sum, s) => sum + s.cpuMs, 0);
  return { processes, rowsIngested, rowsPerS: rowsIngested / (ms / 1000), cpuUsPerRow: (1000 * cpuMs) / rowsIngested, sinks };
}
