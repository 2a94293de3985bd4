import { describe, expect, it } from "vitest";
import { overlappingRuns } from "./backfill-overlap.ts";
import type { BackfillRun } from "./backfill-runs.ts";

const hourMs = 3_600_000;
const windowMs = 300_000;
const contoso = (queries: string[]) => ({ id: "contoso", queries });

const run = (id: string, fromH: number, toH: number, extra: Partial<BackfillRun> = {}): BackfillRun => ({
  id,
  startedAtMs: 0,
  fromMs: fromH * hourMs,
  toMs: toH * hourMs,
  windowMs,
  tenants: [contoso(["alert-info", "alert-evidence"])],
  windows: 0,
  enqueue: { sent: 10, complete: true, atMs: 0 },
  ...extra,
});

describe("overlappingRuns", () => {
  it("counts the shared windows: the overlapping hours times the shared tenant queries", () => {
    const asked = run("new", 10, 20, { tenants: [contoso(["alert-info", "mitre-tactics"])] });
    const [overlap, ...rest] = overlappingRuns([run("b-1", 0, 12), run("b-2", 11, 30)], asked);
    // b-1 shares 10:00–12:00 of alert-info (24 windows); b-2 shares 11:00–20:00 (108).
    expect([overlap?.run.id, overlap?.windows, rest.map((o) => [o.run.id, o.windows])]).toEqual(["b-1", 24, [["b-2", 108]]]);
  });

  it("leaves out runs of other ranges, other tenants, other queries, cancelled ones, and the run itself", () => {
    const asked = run("new", 10, 20);
    const elsewhere = [
      run("before", 0, 10), // ends where this one starts: no window in common
      run("other-tenant", 10, 20, { tenants: [{ id: "fabrikam", queries: ["alert-info"] }] }),
      run("other-query", 10, 20, { tenants: [contoso(["mitre-tactics"])] }),
      run("new", 10, 20),
      run("cancelled", 10, 20, { cancelledAtMs: 1 }), // called off: not wanted, so not in the way
    ];
    expect(overlappingRuns(elsewhere, asked)).toEqual([]);
  });

  it("counts a run whose enqueue stopped part-way, but not one that sent nothing", () => {
    const asked = run("new", 0, 1);
    const runs = [
      run("stopped-early", 0, 1, { enqueue: { sent: 0, complete: false, atMs: 0, stopped: true } }),
      run("stopped-later", 0, 1, { enqueue: { sent: 5, complete: false, atMs: 0, stopped: true } }),
      run("older-version", 0, 1, { enqueue: undefined }),
    ];
    expect(overlappingRuns(runs, asked).map((o) => [o.run.id, o.windows])).toEqual([
      ["stopped-later", 24],
      ["older-version", 24],
    ]);
  });
});
