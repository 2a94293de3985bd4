import { builtInQueries, mitreTactics, type TimeRange, windowedQuery, windowTimespan } from "@xdr-relay/core";
import { startHuntingEmulator } from "@xdr-relay/emulators";
import { describe, expect, it } from "vitest";

// The built-in queries run as the fetcher sends them (window filter appended) against the hunting
// emulator, which refuses any KQL it does not fully understand: a pass means the whole query ran.
const hour = 60 * 60_000;
const end = Date.UTC(2026, 2, 1);
const range: TimeRange = { startMs: end - 6 * hour, endMs: end - 5 * hour };

async function emulator() {
  return startHuntingEmulator({
    tenants: [{ id: "contoso", seed: 7, startMs: end - 24 * hour, endMs: end, alertsPerHour: 600, edgeRowsEveryMs: 300_000 }],
    now: () => end + hour,
  });
}

async function run(url: string, name: string): Promise<{ status: number; results: Record<string, string>[] }> {
  const kql = builtInQueries[name]?.kql ?? "";
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ Query: windowedQuery(kql, range), Timespan: windowTimespan(range) }),
  });
  const body = (await res.json()) as { results?: Record<string, string>[] };
  return { status: res.status, results: body.results ?? [] };
}

describe("query pack", () => {
  it("mitre-tactics returns exactly the alerts whose category is an ATT&CK tactic", async () => {
    await using em = await emulator();
    const all = await run(em.url, "alert-info");
    const tactics = await run(em.url, "mitre-tactics");
    expect(tactics.status).toBe(200);
    const isTactic = (r: Record<string, string>) => (mitreTactics as readonly string[]).includes(r["Category"] ?? "");
    // The synthetic tenant has Defender's own categories too, so the filter has something to drop.
    expect(all.results.some((r) => !isTactic(r))).toBe(true);
    expect(tactics.results.length).toBeGreaterThan(0);
    expect(tactics.results).toEqual(all.results.filter(isTactic));
  });

  it("names all twelve tactics in both recipes, with their own streams", () => {
    for (const name of ["mitre-tactics", "device-alert-events"]) {
      const query = builtInQueries[name];
      for (const tactic of mitreTactics) expect(query?.kql).toContain(`"${tactic}"`);
    }
    expect(builtInQueries["mitre-tactics"]?.stream).toBe("Custom-XdrMitreTactics");
    expect(builtInQueries["device-alert-events"]?.stream).toBe("Custom-XdrDeviceAlertEvents");
  });

  it("device-alert-events is refused like a real tenant without the deprecated table refuses it", async () => {
    await using em = await emulator();
    expect((await run(em.url, "device-alert-events")).status).toBe(400);
  });
});
