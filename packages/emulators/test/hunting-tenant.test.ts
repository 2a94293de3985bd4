import { mitreTactics } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { SyntheticTenant, type SyntheticTenantOptions, tableColumns } from "../src/hunting/index.ts";

const hour = 3_600_000;
const end = Date.UTC(2026, 2, 1);
const later = end + 365 * 24 * hour; // by then every row is visible
const all = { startMs: 0, endMs: end + hour };
const tenantOf = (o: Partial<SyntheticTenantOptions> = {}) =>
  new SyntheticTenant({ id: "contoso", seed: 7, startMs: end - 24 * hour, endMs: end, alertsPerHour: 50, ...o });

describe("SyntheticTenant", () => {
  it("is deterministic by seed", () => {
    const dump = (seed: number) =>
      JSON.stringify([...tenantOf({ seed, startMs: end - 6 * hour }).rows("AlertEvidence", all, later)]);
    const a = dump(7);
    expect(dump(7) === a).toBe(true);
    expect(dump(8) === a).toBe(false);
  });

  it("emits exactly the documented columns, with typed values", () => {
    const tenant = tenantOf();
    for (const table of tenant.tables) {
      const [row] = tenant.rows(table, all, later);
      expect(Object.keys(row ?? {})).toEqual(tableColumns[table].map((c) => c.name));
    }
    const odd = [...tenant.rows("AlertEvidence", all, later)].filter(
      (row) =>
        !(row.FileSize === null || Number.isInteger(row.FileSize)) ||
        !(row.ApplicationId === null || Number.isInteger(row.ApplicationId)) ||
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(row.Timestamp as string),
    );
    expect(odd).toEqual([]);
  });

  it("gives each alert several evidence rows that share its identity", () => {
    const tenant = tenantOf();
    const alerts = new Map([...tenant.rows("AlertInfo", all, later)].map((a) => [a.AlertId, a]));
    expect(alerts.size).toBe(tenant.size("AlertInfo"));
    const perAlert = new Map<unknown, number>();
    const mismatched = [...tenant.rows("AlertEvidence", all, later)].filter((e) => {
      const a = alerts.get(e.AlertId as string);
      perAlert.set(e.AlertId, (perAlert.get(e.AlertId) ?? 0) + 1);
      const shared = a && e.Timestamp === a.Timestamp && e.Title === a.Title && e.AttackTechniques === a.AttackTechniques;
      return !shared || e.ServiceSource !== a.ServiceSource || e.Categories !== JSON.stringify([a.Category]);
    });
    expect(mismatched).toEqual([]);
    expect(perAlert.size).toBe(alerts.size);
    const average = tenant.size("AlertEvidence") / tenant.size("AlertInfo");
    expect(average).toBeGreaterThan(2.7);
    expect(average).toBeLessThan(3.3);
    expect(Math.min(...perAlert.values())).toBeGreaterThanOrEqual(1);
  });

  it("uses mostly MITRE tactics as categories, some Defender ones, and techniques as JSON-array strings", () => {
    const rows = [...tenantOf({ alertsPerHour: 200 }).rows("AlertInfo", all, later)];
    const tactic = rows.filter((r) => (mitreTactics as readonly unknown[]).includes(r.Category));
    expect(tactic.length / rows.length).toBeGreaterThan(0.8);
    expect(new Set(tactic.map((r) => r.Category)).size).toBe(12);
    expect(rows.some((r) => r.Category === "Malware")).toBe(true);
    expect(rows.some((r) => r.Category === "SuspiciousActivity")).toBe(true);
    const techniques = tactic.flatMap((r) => JSON.parse(r.AttackTechniques as string) as string[]);
    expect(techniques.length).toBeGreaterThanOrEqual(tactic.length);
    expect(techniques.filter((t) => !/^.+ \(T\d{4}(\.\d{3})?\)$/.test(t))).toEqual([]);
  });

  it("produces the requested volume, bursts and rows on edges", () => {
    const burst = { startMs: end - 2 * hour, endMs: end - hour, alerts: 3_000 };
    const tenant = tenantOf({ alertsPerHour: 100, bursts: [burst], edgeRowsEveryMs: 300_000 });
    expect(tenant.size("AlertInfo")).toBe(2_400 + 3_000 + 288);
    expect(tenant.count("AlertInfo", burst, later)).toBeGreaterThan(3_000);
    expect(tenant.count("AlertInfo", { startMs: end - 4 * hour, endMs: end - 3 * hour }, later)).toBeLessThan(200);
    const edge = end - 10 * 300_000;
    const onEdge = [...tenant.rows("AlertInfo", { startMs: edge, endMs: edge + 1 }, later)];
    expect(onEdge.map((r) => r.Timestamp)).toContain(new Date(edge).toISOString());
  });

  it("hides rows until they are available, late ones much longer", () => {
    const late = { fraction: 0.2, minDelayMs: 2 * hour, maxDelayMs: 6 * hour };
    const tenant = tenantOf({ late, ingestion: { minDelayMs: 1_000, maxDelayMs: 60_000 } });
    const window = { startMs: end - 12 * hour, endMs: end - 11 * hour };
    const total = tenant.count("AlertEvidence", window, later);
    const soon = tenant.count("AlertEvidence", window, window.endMs + 5 * 60_000);
    expect(tenant.count("AlertEvidence", window, window.startMs)).toBe(0);
    expect(soon / total).toBeGreaterThan(0.65);
    expect(soon / total).toBeLessThan(0.9);
    expect(tenant.count("AlertEvidence", window, window.endMs + 6 * hour)).toBe(total);
    // Visibility only grows: what was seen stays, the late rows join it.
    const early = new Set([...tenant.rows("AlertEvidence", window, window.endMs + hour)].map((r) => JSON.stringify(r)));
    const full = new Set([...tenant.rows("AlertEvidence", window, later)].map((r) => JSON.stringify(r)));
    expect([...early].every((r) => full.has(r))).toBe(true);
  });

  it("builds 100k+ rows quickly and answers a window without scanning the rest", () => {
    let t0 = performance.now();
    const tenant = new SyntheticTenant({ id: "big", seed: 1, startMs: end - 7 * 24 * hour, endMs: end, alertsPerHour: 200 });
    const buildMs = performance.now() - t0;
    expect(tenant.size("AlertInfo") + tenant.size("AlertEvidence")).toBeGreaterThan(100_000);
    expect(buildMs).toBeLessThan(1_000);

    t0 = performance.now();
    let n = 0;
    for (const _ of tenant.rows("AlertEvidence", all, later)) if (++n === 100_000) break;
    // Typically ~0.3 s; the bound leaves room for a loaded CI machine.
    expect(n).toBe(100_000);
    expect(performance.now() - t0).toBeLessThan(4_000);

    t0 = performance.now();
    for (let i = 0; i < 1_000; i++) tenant.count("AlertInfo", { startMs: end - 300_000, endMs: end }, later);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it("refuses nonsense options with the option's name", () => {
    expect(() => tenantOf({ startMs: end, endMs: end })).toThrow(/startMs/);
    expect(() => tenantOf({ late: { fraction: 2, minDelayMs: 0, maxDelayMs: 1 } })).toThrow(/late.fraction/);
    expect(() => tenantOf({ id: "a/b" })).toThrow(/id/);
  });
});
