import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { TimeRange } from "@xdr-relay/core";
import { SyntheticTenant, startHuntingEmulator } from "@xdr-relay/emulators";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { describe, expect, it } from "vitest";
import type { CliProcess } from "./cli-process.ts";
import { hourMs } from "./fetch-chaos/chaos-tenant.ts";
import { type ExpectedRow, expectedRows } from "./fetch-chaos/expected-rows.ts";
import { backfill, queueFile, type RelaySettings, startFetcher, writeRelayConfig } from "./fetch-chaos/relay-cli.ts";
import { RowsOnQueue } from "./fetch-chaos/rows-on-queue.ts";
import { tempDirs } from "./temp-dir.ts";

/**
 * Issue 3, item 8: several tenants in one deployment, each with its own queries and credential
 * (declared in the config; `auth: none` against the loopback emulator fetches no token) and its own
 * call-budget ledger. One tenant's Graph hangs on every call and then drops the connection, the
 * way a query that runs into the service's 3-minute timeout or a black-holed network does. The
 * healthy tenants must land all their rows about as fast as they do alone, while the broken one is
 * still failing; once its outage ends, its rows land too, each once.
 */
const queriesOf = {
  down: ["alert-evidence"],
  north: ["alert-info", "alert-evidence"],
  south: ["alert-info", "mitre-tactics"],
} as const;
const credentials = {
  down: { kind: "managedIdentity" },
  north: { kind: "clientSecret", clientId: "00000000-0000-0000-0000-00000000000a", clientSecretEnv: "NORTH_SECRET" },
  south: { kind: "workloadIdentity", clientId: "00000000-0000-0000-0000-00000000000b" },
} as const;
type TenantId = keyof typeof queriesOf;
/** How long each of the broken tenant's calls hangs before the connection drops. */
const hangMs = 12_000;

const tempDir = tempDirs();

describe("many tenants in one deployment", () => {
  it("lands the healthy tenants' rows on time while another tenant's Graph hangs, then the broken tenant's once it recovers", async () => {
    const dir = tempDir("xdr-many-tenants-");
    const toMs = Math.floor((Date.now() - 2 * hourMs) / hourMs) * hourMs;
    const range = { startMs: toMs - 12 * hourMs, endMs: toMs };
    const tenants = (["down", "north", "south"] as const).map(
      (id, i) => new SyntheticTenant({ id, seed: 40 + i, startMs: range.startMs, endMs: range.endMs, alertsPerHour: 60 }),
    );
    await using hunting = await startHuntingEmulator({ tenants, callsPerMinute: Number.POSITIVE_INFINITY });
    const expected = new Map(tenants.map((t) => [t.id, expectedRows(t, queriesOf[t.id as TenantId], range, Date.now())]));
    const settings = (ids: readonly TenantId[]): RelaySettings => ({
      huntingUrl: hunting.tenantUrlTemplate,
      tenants: ids.map((id) => ({ id, queries: queriesOf[id], credential: credentials[id] })),
      windowMs: hourMs,
      callsPerMinute: 10_000,
      callsPerHour: 100_000,
      // Longer than a hung call: a window is not handed to a second fetch while the first still waits.
      lockDurationMs: 3 * hangMs,
      // Not this test's subject: a backfill's re-sweep falling due mid-test would only add calls.
      resweepOffsetsMs: [],
    });

    // Alone: how long the healthy tenants take on this machine, today.
    const alone = await deployment(dir, "alone", settings(["north", "south"]), range);
    const aloneMs = await timeToLand(alone, ["north", "south"], expected);
    alone.fetcher.child.kill("SIGTERM");
    await alone.fetcher.result;

    // With the broken tenant first in the config, so its windows are at the head of the queue.
    for (let i = 0; i < 200; i++) hunting.faults.push({ tenant: "down", delayMs: hangMs, dropConnection: true });
    const shared = await deployment(dir, "shared", settings(["down", "north", "south"]), range);
    const sharedMs = await timeToLand(shared, ["north", "south"], expected);
    await shared.rows.refresh();
    expect(landed(shared.rows, expected.get("down")), "the broken tenant is still failing").toBe(0);
    expect(sharedMs, `alone ${aloneMs} ms, beside a hanging tenant ${sharedMs} ms`).toBeLessThan(2 * aloneMs + 5_000);

    // The outage ends: the broken tenant's windows were kept, and its rows now land, each once.
    hunting.faults.clear();
    shared.fetcher.child.kill("SIGTERM");
    await shared.fetcher.result;
    const recovery = startFetcher(shared.config, { untilIdle: true });
    const done = await recovery.result;
    expect(done.code, done.stderr).toBe(0);
    await shared.rows.refresh();
    for (const [id, rows] of expected) expect(landed(shared.rows, rows), id).toBe(rows.size);
    expect(shared.rows.byRowId.size).toBe([...expected.values()].reduce((n, rows) => n + rows.size, 0));
    expect([...shared.rows.byRowId.values()].every((n) => n === 1)).toBe(true);
    await shared.rows.close();
    await alone.rows.close();
    const queue = new EmbeddedQueueClient({ path: queueFile(join(dir, "shared")) });
    try {
      for (const lane of ["windows", "windows-backfill"]) {
        expect(queue.stats(lane), lane).toMatchObject({ active: 0, scheduled: 0, locked: 0, deadLettered: 0 });
      }
    } finally {
      await queue.close();
    }
    console.info(`many-tenants: healthy tenants alone ${aloneMs} ms, beside a hanging tenant ${sharedMs} ms`);
  }, 180_000);
});

interface Deployment {
  readonly config: string;
  readonly rows: RowsOnQueue;
  readonly fetcher: CliProcess;
  /** When the fetcher was started. */
  readonly startedMs: number;
}

/** Backfills the range for every tenant of `s` in its own data dir under `dir`, then starts a long-running fetcher. */
async function deployment(dir: string, name: string, s: RelaySettings, range: TimeRange): Promise<Deployment> {
  const home = join(dir, name);
  mkdirSync(home);
  const config = writeRelayConfig(home, "xdr-relay.json", s);
  const enqueued = await backfill(config, range.startMs, range.endMs);
  expect(enqueued.code, enqueued.stderr).toBe(0);
  const rows = RowsOnQueue.open(queueFile(home));
  return { config, rows, fetcher: startFetcher(config, { untilIdle: false }), startedMs: Date.now() };
}

/** Ms from the fetcher's start until every row of `ids` is on the rows queue. */
async function timeToLand(d: Deployment, ids: readonly TenantId[], expected: Map<string, Map<string, ExpectedRow>>) {
  const deadline = d.startedMs + 120_000;
  for (;;) {
    await d.rows.refresh();
    if (ids.every((id) => landed(d.rows, expected.get(id)) === expected.get(id)?.size)) return Date.now() - d.startedMs;
    if (Date.now() > deadline) throw new Error(`${ids.join(", ")}: rows not all on the queue after 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function landed(rows: RowsOnQueue, expected: ReadonlyMap<string, ExpectedRow> | undefined): number {
  let n = 0;
  for (const id of expected?.keys() ?? []) if (rows.byRowId.has(id)) n++;
  return n;
}
