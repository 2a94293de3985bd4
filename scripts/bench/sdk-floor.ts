import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RowMessage } from "../../packages/core/src/index.ts";
import { createIngestionClient, toRecord } from "../../packages/sink/src/index.ts";
import { rowMessageChunks } from "./bench-rows.ts";
import { median, repeat, timed } from "./harness.ts";
import { benchDcrId } from "./ingestion-child-options.ts";
import { benchRecords } from "./stringify-gzip.ts";

/**
 * The sink's floor set by its mandated SDK: `@azure/monitor-ingestion`'s `upload` of the same records,
 * through the client the sink builds (`createIngestionClient`: gzip level 1, as the stringify+gzip
 * baseline), to a loopback server in this process that reads each body and answers 204, with no
 * queue, no checks and no emulator work. The SDK serialises every record twice (once to cut chunks
 * under 1 MB, once to send) and gzips, where the baseline serialises once: however fast the sink's
 * own work, it cannot beat this rate.
 */
export interface SdkFloorResult {
  readonly rows: number;
  readonly rowsPerS: number;
  readonly calls: number;
  /**
   * The least a sink on this SDK can do, with no queue: each row message's body (as a queue holds
   * it) parsed and turned into its record, in batches of ~1 MB, each batch's upload overlapping
   * the next batch's parsing, two uploads in flight (the sink's default concurrency).
   */
  readonly minimalSinkRowsPerS: number;
}

export const stream = "Custom-XdrAlertEvidence";
/** Rows per upload: 200,000 bench rows make 142 calls of ~1 MB. */
const batchRows = 1_400;

/** Parses and uploads `bodies` a batch at a time, the next batch parsed while up to two upload. */
export async function minimalSink(bodies: readonly string[], upload: (records: Record<string, unknown>[]) => Promise<void>) {
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < bodies.length; i += batchRows) {
    const records = bodies.slice(i, i + batchRows).map((body) => toRecord(JSON.parse(body) as RowMessage));
    while (inFlight.size >= 2) await Promise.race(inFlight);
    const call: Promise<void> = upload(records).then(() => void inFlight.delete(call));
    inFlight.add(call);
  }
  await Promise.all(inFlight);
}

/** A loopback server that reads each request's body and answers 204: an ingestion service that costs nothing. */
export async function startDiscardingServer(): Promise<{ url: string; calls(): number; close(): Promise<void> }> {
  let calls = 0;
  const server = createServer((request, response) => {
    calls++;
    request.on("data", () => undefined);
    request.on("end", () => response.writeHead(204).end());
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}

export async function sdkFloor(rows: number, runs: number): Promise<SdkFloorResult> {
  const records = benchRecords(rows);
  const server = await startDiscardingServer();
  try {
    const client = createIngestionClient({ endpoint: server.url, auth: "none" });
    const trials = await repeat(runs, () => timed(() => client.upload(benchDcrId, stream, records)));
    const calls = server.calls();
    const bodies = [...rowMessageChunks(rows, 20_000)].flatMap((chunk) => chunk.map((m) => JSON.stringify(m.body)));
    const minimal = await repeat(runs, () =>
      timed(() => minimalSink(bodies, (batch) => client.upload(benchDcrId, stream, batch))),
    );
    return {
      rows: records.length,
      rowsPerS: median(trials.map((t) => records.length / (t.ms / 1000))),
      calls: calls / runs,
      minimalSinkRowsPerS: median(minimal.map((t) => bodies.length / (t.ms / 1000))),
    };
  } finally {
    await server.close();
  }
}
