import { createInterface } from "node:readline";
import {
  type DataCollectionRule,
  type SyntheticTenantOptions,
  startHuntingEmulator,
  startIngestionEmulator,
} from "../../packages/emulators/src/index.ts";

/**
 * Child process: `emulator-child.ts hunting <json>` or `ingestion <json>`. Prints `{"url"}` once
 * listening, answers a `stats` line with the emulator's counters and CPU time, and exits when stdin closes.
 */
export interface HuntingChildOptions {
  readonly tenant: SyntheticTenantOptions;
  readonly rowCap: number;
}

export interface IngestionChildOptions {
  readonly workspaceDir: string;
  readonly rules: readonly DataCollectionRule[];
}

const [kind, json] = process.argv.slice(2);
const options: unknown = JSON.parse(json ?? "{}");

const emulator =
  kind === "hunting"
    ? await startHunting(options as HuntingChildOptions)
    : await startIngestionEmulator(options as IngestionChildOptions).then((e) => ({
        url: e.endpoint,
        stats: () => e.stats,
        close: () => e.close(),
      }));

console.log(JSON.stringify({ url: emulator.url }));
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  // The process's CPU time too: on the bench's cores the emulator competes with the sink.
  const cpu = process.cpuUsage();
  if (line.trim() === "stats") console.log(JSON.stringify({ ...emulator.stats(), cpuMs: (cpu.user + cpu.system) / 1000 }));
});
lines.on("close", () => {
  void emulator.close().then(() => process.exit(0));
});

async function startHunting(o: HuntingChildOptions) {
  // The call quota is off: the bench measures throughput, not the 45 calls/min limit.
  const e = await startHuntingEmulator({ tenants: [o.tenant], rowCap: o.rowCap, callsPerMinute: Number.POSITIVE_INFINITY });
  return { url: e.url, stats: () => e.stats, close: () => e.close() };
}
