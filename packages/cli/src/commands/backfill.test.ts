import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queueNames, RelayConfig } from "@xdr-relay/core";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { type BackfillOptions, backfillCommand, parseInstant } from "./backfill.ts";
import { UsageError } from "./usage-error.ts";

const hourMs = 3_600_000;
const printed: string[] = [];
beforeEach(() => {
  printed.length = 0;
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
});
afterEach(() => vi.restoreAllMocks());

/** A directory for this test alone, removed when it ends. */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "xdr-backfill-command-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function configIn(dataDir: string, queries = ["alert-info", "alert-evidence"]): RelayConfig {
  return RelayConfig.parse({
    auth: "none",
    dataDir,
    hunting: { url: "http://127.0.0.1:9/hunting" },
    ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-test" },
    tenants: [{ id: "contoso", queries }],
  });
}

/** Hours counted back from now, whole hours so the grid does not round the range. */
function hoursAgo(h: number): string {
  return new Date((Math.floor(Date.now() / hourMs) - h) * hourMs).toISOString();
}

function options(fromH: number, toH: number, extra: Partial<BackfillOptions> = {}): BackfillOptions {
  const base = { dryRun: false, watch: false, again: false, logLevel: "error" as const, signal: new AbortController().signal };
  return { from: hoursAgo(fromH), to: hoursAgo(toH), ...base, ...extra };
}

async function backfillWindows(dataDir: string): Promise<number> {
  const queue = new EmbeddedQueueClient({ path: join(dataDir, "queue.sqlite") });
  try {
    return (await queue.peekMessages(queueNames.windowsBackfill, { maxMessageCount: 10_000 })).length;
  } finally {
    await queue.close();
  }
}

describe("backfill of a range an earlier backfill asked for", () => {
  it("is refused with what it would fetch again, unless --again; a dry run says so and writes nothing", async () => {
    const dir = freshDir();
    const config = configIn(dir);
    expect(await backfillCommand(config, options(48, 46))).toBe(0);
    expect(await backfillWindows(dir)).toBe(48); // 2 h of 5-min windows, 2 queries

    printed.length = 0;
    // One hour in common with the first; its alert-info and alert-evidence windows: 24.
    await expect(backfillCommand(config, options(47, 44))).rejects.toThrow(UsageError);
    expect(printed.join("\n")).toMatch(/! earlier backfills already asked for windows of this range/);
    expect(printed.join("\n")).toMatch(/ {4}b-\d{8}T\d{6}Z-[0-9a-f]{4} \(.+ → .+, .+ ago\): 24 of them$/m);
    expect(await backfillWindows(dir)).toBe(48);

    printed.length = 0;
    expect(await backfillCommand(config, options(47, 44, { dryRun: true }))).toBe(0);
    expect(printed).toContain("  Enqueued, it would be refused without --again.");
    expect(await backfillWindows(dir)).toBe(48);

    printed.length = 0;
    expect(await backfillCommand(config, options(47, 44, { again: true }))).toBe(0);
    expect(printed.join("\n"), "--again still says what it asks for again").toMatch(
      / {4}b-\d{8}T\d{6}Z-[0-9a-f]{4} .*: 24 of them$/m,
    );
    expect(await backfillWindows(dir)).toBe(48 + 72);
  });

  it("dry run: says the same backfill would go on with a run that stopped part-way, not that it would be refused", async () => {
    const dir = freshDir();
    const config = configIn(dir);
    const stopped = new AbortController();
    stopped.abort(); // stopped before its first send, as a Ctrl-C would
    expect(await backfillCommand(config, options(48, 46, { signal: stopped.signal }))).not.toBe(0);
    expect(await backfillWindows(dir)).toBe(0);

    printed.length = 0;
    expect(await backfillCommand(config, options(48, 46, { dryRun: true }))).toBe(0);
    expect(printed.join("\n")).toMatch(
      /Enqueued, it would go on with backfill b-\S+, whose enqueue stopped after 0 of 48 windows sent/,
    );
    expect(printed.join("\n")).not.toContain("refused");

    expect(await backfillCommand(config, options(48, 46))).toBe(0);
    expect(await backfillWindows(dir)).toBe(48);
  });

  it("goes ahead when only other queries or other hours were asked for", async () => {
    const dir = freshDir();
    expect(await backfillCommand(configIn(dir, ["alert-info"]), options(48, 46))).toBe(0);
    expect(await backfillCommand(configIn(dir, ["alert-evidence"]), options(48, 46))).toBe(0);
    expect(await backfillCommand(configIn(dir), options(46, 45))).toBe(0);
    expect(printed.join("\n")).not.toContain("earlier backfills");
    expect(await backfillWindows(dir)).toBe(24 + 24 + 24);
  });
});

describe("backfill on a dataDir it cannot use", () => {
  it("says so before printing any estimate; a dry run there still estimates, creating nothing", async () => {
    const dir = freshDir();
    const file = join(dir, "not-a-dir");
    writeFileSync(file, "");
    await expect(backfillCommand(configIn(file), options(48, 46))).rejects.toThrow(/cannot use dataDir/);
    expect(printed).toEqual([]);

    const fresh = join(dir, "fresh");
    expect(await backfillCommand(configIn(fresh), options(48, 46, { dryRun: true }))).toBe(0);
    expect(printed.at(-1)).toBe("dry run: nothing enqueued");
    expect(existsSync(fresh)).toBe(false);
  });
});

describe("parseInstant", () => {
  it.each([
    ["2026-11-01T00:00:00Z", Date.UTC(2026, 10, 1)],
    ["2028-02-29T12:00:00+01:00", Date.UTC(2028, 1, 29, 11)],
    ["2026-11-30T23:59:59.5Z", Date.UTC(2026, 10, 30, 23, 59, 59, 500)],
  ])("reads %s", (value, ms) => {
    expect(parseInstant("--from", value)).toBe(ms);
  });

  it.each(["2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-31T00:00:00Z", "2027-02-29T00:00:00Z"])(
    "refuses %s, a day the calendar lacks (Date.parse would move it into the next month)",
    (value) => {
      expect(() => parseInstant("--from", value)).toThrow(new UsageError(`--from names a day that does not exist: "${value}"`));
    },
  );
});
