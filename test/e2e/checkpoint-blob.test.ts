import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobCheckpointStore, EmbeddedQueueClient } from "@xdr-relay/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobContainer } from "../../packages/cli/src/wiring/blob-container.ts";
// The queue package's own helper: it resolves Azurite from that package's devDependencies.
import { type Azurite, startAzurite } from "../../packages/queue/test/azurite.ts";
import { runCli } from "./cli-process.ts";

const minute = 60_000;
const windowMs = 5 * minute;
const queries = ["alert-info", "alert-evidence"];
let azurite: Azurite | undefined;
let dir: string;

beforeAll(async () => {
  azurite = await startAzurite();
  dir = mkdtempSync(join(tmpdir(), "xdr-blob-checkpoints-"));
});
afterAll(async () => {
  await azurite?.[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

function setup(container: string) {
  const dataDir = join(dir, container);
  const startAt = Math.floor((Date.now() - 2 * 60 * minute) / windowMs) * windowMs;
  const configFile = join(dir, `${container}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      schedule: { startAt: new Date(startAt).toISOString(), windowMs, resweepOffsetsMs: [30 * minute] },
      tenants: [{ id: "contoso", queries }],
    }),
  );
  const env = {
    XDR_RELAY_DATA_DIR: dataDir,
    XDR_RELAY_AUTH: "none",
    XDR_RELAY_HUNTING_URL: "http://127.0.0.1:9/hunting",
    XDR_RELAY_INGESTION_ENDPOINT: "http://127.0.0.1:9",
    XDR_RELAY_DCR_ID: "dcr-e2e",
    XDR_RELAY_CHECKPOINT: "blob",
    XDR_RELAY_CHECKPOINT_CONTAINER: container,
    XDR_RELAY_CHECKPOINT_CONNECTION_STRING_ENV: "E2E_STORAGE",
    E2E_STORAGE: azurite?.connectionString ?? "",
  };
  const client = blobContainer({ kind: "blob", container, connectionStringEnv: "E2E_STORAGE" }, env);
  const scheduler = (extraEnv: Record<string, string> = {}) =>
    runCli(["run", "--config", configFile, "--role", "scheduler", "--until-idle"], { ...env, ...extraEnv });
  return { dataDir, startAt, env, client, scheduler };
}

/** Each pass's enqueued window starts, by `query/sweep`, read off the embedded windows queue. */
async function enqueuedStarts(dataDir: string): Promise<Map<string, number[]>> {
  const queue = new EmbeddedQueueClient({ path: join(dataDir, "queue.sqlite") });
  try {
    const messages = await queue.peekMessages("windows", { maxMessageCount: 10_000 });
    const byPass = new Map<string, number[]>();
    for (const m of messages) {
      const w = m.body as { query: string; sweep: number; start: string };
      const key = `${w.query}/${w.sweep}`;
      byPass.set(
        key,
        [...(byPass.get(key) ?? []), Date.parse(w.start)].sort((a, b) => a - b),
      );
    }
    return byPass;
  } finally {
    await queue.close();
  }
}

describe("scheduler checkpoints in Azure Blob Storage (Azurite), through the CLI", () => {
  it("keeps each pass's checkpoint in the container, and two schedulers at once neither skip nor repeat a window", async () => {
    const s = setup("checkpoints-e2e");
    await s.client.create();
    const first = await s.scheduler();
    expect(first.code, first.stderr).toBe(0);
    // Both at once on the same container: the compare-and-swap lets one advance each checkpoint.
    const [a, b] = await Promise.all([s.scheduler(), s.scheduler()]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);

    expect(existsSync(join(s.dataDir, "checkpoints.sqlite"))).toBe(false);
    const store = new BlobCheckpointStore(s.client);
    const starts = await enqueuedStarts(s.dataDir);
    for (const query of queries) {
      for (const [sweep, key] of [
        [0, `schedule/contoso/${query}`],
        [1, `schedule/contoso/${query}/sweep-1`],
      ] as const) {
        const checkpoint = Number((await store.read(key))?.value);
        // The first pass runs 10 min behind now, the re-sweep 30 min behind that.
        expect(checkpoint, key).toBeGreaterThan(s.startAt + (sweep === 0 ? 90 : 60) * minute);
        const grid = Array.from({ length: (checkpoint - s.startAt) / windowMs }, (_, i) => s.startAt + i * windowMs);
        // Exactly the grid from the start to the checkpoint: no gap, no window twice.
        expect(starts.get(`${query}/${sweep}`), key).toEqual(grid);
      }
    }
    expect(Number((await store.read("schedule/contoso/alert-info/origin"))?.value)).toBe(s.startAt);
  });

  it("refuses to start, naming the container, when it does not exist", async () => {
    const s = setup("never-created");
    const run = await s.scheduler();
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("/never-created does not exist: create it (infra/ does) or fix checkpoint.container");
    expect(run.stderr).toContain("XDR_RELAY_CHECKPOINT_CONTAINER");
  });

  it("says which variable is missing when the connection string's variable is not set", async () => {
    const s = setup("unset-variable");
    const run = await s.scheduler({ E2E_STORAGE: "" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("checkpoint.connectionStringEnv names E2E_STORAGE, but that environment variable is not set");
  });
});
