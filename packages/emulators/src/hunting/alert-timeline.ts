import { sequence, unitAt } from "./prng.ts";
import type { ResolvedTenantOptions } from "./tenant-options.ts";

/**
 * When every alert happened, and where each alert's evidence rows start: the only state a synthetic
 * tenant stores (12 bytes per alert). Everything else about a row is recomputed from its index.
 */
export interface AlertTimeline {
  /** Alert timestamps in epoch ms, ascending; an alert's index is its rank in this array. */
  readonly timestamps: Float64Array;
  /** Alert `a` owns evidence rows `[evidenceStart[a], evidenceStart[a + 1])`; length = alerts + 1. */
  readonly evidenceStart: Uint32Array;
}

const hourMs = 3_600_000;
const maxAlerts = 50_000_000;

export function buildTimeline(o: ResolvedTenantOptions, key: number): AlertTimeline {
  const base = Math.round((o.alertsPerHour * (o.endMs - o.startMs)) / hourMs);
  const bursts = o.bursts.reduce((n, b) => n + Math.round(b.alerts), 0);
  const edges = edgeTimes(o);
  const total = base + bursts + edges.length;
  if (total > maxAlerts) throw new RangeError(`SyntheticTenant ${o.id}: ${total} alerts is more than ${maxAlerts}`);

  const timestamps = new Float64Array(total);
  const random = sequence(key);
  let n = 0;
  const scatter = (count: number, startMs: number, endMs: number) => {
    for (let i = 0; i < count; i++) timestamps[n++] = startMs + Math.floor(random() * (endMs - startMs));
  };
  scatter(base, o.startMs, o.endMs);
  for (const b of o.bursts) scatter(Math.round(b.alerts), b.startMs, b.endMs);
  for (const t of edges) timestamps[n++] = t;
  timestamps.sort();

  return { timestamps, evidenceStart: evidenceOffsets(total, o.evidencePerAlert, key) };
}

/** Multiples of `edgeRowsEveryMs` inside `[startMs, endMs)`. */
function edgeTimes(o: ResolvedTenantOptions): number[] {
  const every = o.edgeRowsEveryMs;
  if (every === undefined) return [];
  const times: number[] = [];
  for (let t = Math.ceil(o.startMs / every) * every; t < o.endMs; t += every) times.push(t);
  return times;
}

/**
 * Evidence counts with exactly the requested mean: 1 + floor(x + v) with x uniform on [0, 2(avg-1))
 * and v uniform on [0, 1) has mean avg (stochastic rounding), and every alert has at least one row.
 */
function evidenceOffsets(alerts: number, average: number, key: number): Uint32Array {
  const starts = new Uint32Array(alerts + 1);
  const extra = 2 * (average - 1);
  for (let a = 0; a < alerts; a++) {
    const v = unitAt(key, a, 301);
    const count = average < 1 ? (v < average ? 1 : 0) : 1 + Math.floor(unitAt(key, a, 302) * extra + v);
    starts[a + 1] = (starts[a] ?? 0) + count;
  }
  return starts;
}
