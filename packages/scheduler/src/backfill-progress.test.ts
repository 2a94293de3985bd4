import { describe, expect, it } from "vitest";
import { backfillProgress, type PeekedWindow } from "./backfill-progress.ts";
import type { BackfillRun } from "./backfill-runs.ts";

const minute = 60_000;
const t0 = Date.parse("2026-11-20T00:00:00.000Z");
const startedAtMs = Date.parse("2026-11-26T12:00:00.000Z");
const run: BackfillRun = {
  id: "b-1",
  startedAtMs,
  fromMs: t0,
  toMs: t0 + 20 * minute,
  windowMs: 5 * minute,
  tenants: [{ id: "contoso", queries: ["alert-info"] }],
  windows: 4,
};

function message(startMin: number, endMin: number, extra: Record<string, unknown> = {}): PeekedWindow {
  return {
    body: {
      tenant: "contoso",
      query: "alert-info",
      start: new Date(t0 + startMin * minute).toISOString(),
      end: new Date(t0 + endMin * minute).toISOString(),
      origin: "backfill",
      ...extra,
    },
    enqueuedTimeUtc: new Date(startedAtMs + 1_000),
  };
}

describe("backfillProgress", () => {
  it("counts a grid window done once no part of it is left on the queue", () => {
    const p = backfillProgress(run, [run], [message(0, 5), message(10, 15)], []);
    expect([p.done, p.pending, p.deadLettered]).toEqual([2, 2, 0]);
    expect(p.pendingByTenant.get("contoso")).toBe(2);
  });

  it("keeps a split window pending while either half is left, as one grid window", () => {
    const halves = [message(5, 7.5, { origin: "split" }), message(7.5, 10, { origin: "split" })];
    expect(backfillProgress(run, [run], halves, []).pending).toBe(1);
  });

  it("counts a dead-lettered window once nothing of it is pending", () => {
    const dead = [message(0, 5), message(5, 10)];
    const p = backfillProgress(run, [run], [message(5, 7.5, { origin: "split" })], dead);
    expect([p.done, p.pending, p.deadLettered]).toEqual([2, 1, 1]);
  });

  it("ignores what is not this run's: other tenants, the scheduler's windows, older messages, other ranges", () => {
    const others = [
      message(0, 5, { tenant: "fabrikam" }),
      message(0, 5, { origin: "schedule" }),
      message(20, 25),
      { ...message(0, 5), enqueuedTimeUtc: new Date(startedAtMs - 60_000) },
      { body: "not a window", enqueuedTimeUtc: new Date(startedAtMs + 1) },
    ];
    expect(backfillProgress(run, [run], others, others).done).toBe(4);
  });

  it("gives an overlapping window to the newer of two runs", () => {
    const newer = { ...run, id: "b-2", startedAtMs: startedAtMs + 60_000 };
    const queued = [{ ...message(0, 5), enqueuedTimeUtc: new Date(newer.startedAtMs + 1) }];
    expect(backfillProgress(run, [run, newer], queued, []).pending).toBe(0);
    expect(backfillProgress(newer, [run, newer], queued, []).pending).toBe(1);
  });

  it("knows its run by id, as read back from the store", () => {
    expect(backfillProgress(run, [structuredClone(run)], [message(0, 5)], []).pending).toBe(1);
  });

  it("counts each tenant's windows done, the windows sent being the first tenants' while the enqueue is partial", () => {
    const two: BackfillRun = { ...run, tenants: [...run.tenants, { id: "fabrikam", queries: ["alert-info"] }], windows: 8 };
    const fabrikam = message(0, 5, { tenant: "fabrikam" });
    const complete = backfillProgress(two, [two], [message(0, 5), fabrikam], [message(5, 10)]);
    expect(Object.fromEntries(complete.doneByTenant)).toEqual({ contoso: 2, fabrikam: 3 });
    // 6 of 8 sent: contoso's 4, then fabrikam's first 2 (one of them still queued).
    const partial: BackfillRun = { ...two, enqueue: { sent: 6, complete: false, atMs: startedAtMs } };
    expect(Object.fromEntries(backfillProgress(partial, [partial], [fabrikam], []).doneByTenant)).toEqual({
      contoso: 4,
      fabrikam: 1,
    });
  });

  it("counts a tenant's windows as the grid tiles a range off the grid, its ends aligned outwards", () => {
    // 00:02 → 00:18 is tiled by the 4 windows from 00:00 to 00:20, not round(16 / 5) = 3.
    const offGrid: BackfillRun = {
      ...run,
      fromMs: t0 + 2 * minute,
      toMs: t0 + 18 * minute,
      tenants: [...run.tenants, { id: "fabrikam", queries: ["alert-info"] }],
      windows: 8,
      enqueue: { sent: 6, complete: false, atMs: startedAtMs },
    };
    expect(Object.fromEntries(backfillProgress(offGrid, [offGrid], [], []).doneByTenant)).toEqual({ contoso: 4, fabrikam: 2 });
  });

  it("counts the windows a backfill that died mid-enqueue never sent as unsent, not done", () => {
    const stopped: BackfillRun = { ...run, enqueue: { sent: 2, complete: false, atMs: startedAtMs } };
    const p = backfillProgress(stopped, [stopped], [message(5, 10)], []);
    expect([p.done, p.pending, p.unsent, p.deadLettered]).toEqual([1, 1, 2, 0]);
    // The record is written after each send: a window seen on the queue was sent, even if not yet counted.
    const lagging = backfillProgress(stopped, [stopped], [message(0, 5), message(5, 10), message(10, 15)], []);
    expect([lagging.done, lagging.pending, lagging.unsent]).toEqual([0, 3, 1]);
    const complete: BackfillRun = { ...run, enqueue: { sent: 4, complete: true, atMs: startedAtMs } };
    expect(backfillProgress(complete, [complete], [], []).unsent).toBe(0);
    expect(backfillProgress(run, [run], [], []), "an older record").toMatchObject({ done: 4, unsent: 0 });
  });
});
