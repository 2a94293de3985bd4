import type { TimeRange } from "@xdr-relay/core";
import { type AlertInfoRow, alertInfoRow } from "./alert-info-row.ts";
import { type AlertTimeline, buildTimeline } from "./alert-timeline.ts";
import { type AlertTraits, alertTraits } from "./alert-traits.ts";
import { type AlertEvidenceRow, evidenceRow } from "./evidence-row.ts";
import { mix32 } from "./prng.ts";
import { firstAbove, firstAtLeast } from "./sorted-search.ts";
import { type HuntingTableName, huntingTables } from "./tables.ts";
import { TenantDirectory } from "./tenant-directory.ts";
import { type ResolvedTenantOptions, resolveTenantOptions, type SyntheticTenantOptions } from "./tenant-options.ts";
import { availableAtMs, type VisibilityModel } from "./visibility.ts";

/** The row type of a table: its columns by name, strings for text and dates, numbers or null for numbers. */
export type TableRow<T extends HuntingTableName> = T extends "AlertInfo" ? AlertInfoRow : AlertEvidenceRow;

/**
 * A seeded, deterministic Defender tenant: `AlertInfo` (one row per alert) and `AlertEvidence`
 * (several rows per alert, sharing its Timestamp, AlertId, Title, ...). Rows are addressed by their
 * index in Timestamp order within their table and computed on demand; a window query costs
 * O(log n + k). Each row has a hidden availability time: a query at `asOfMs` sees only rows
 * available by then, as late-arriving Defender data behaves.
 */
export class SyntheticTenant {
  readonly id: string;
  readonly options: ResolvedTenantOptions;
  readonly tables: readonly HuntingTableName[] = huntingTables;
  private readonly key: number;
  private readonly timeline: AlertTimeline;
  private readonly directory: TenantDirectory;
  private readonly visibility: VisibilityModel;
  /** Separate keys per table, so an alert and its first evidence row are not late together by construction. */
  private readonly visibilityKeys: Readonly<Record<HuntingTableName, number>>;
  /** Evidence rows of one alert are read in a row: keep the last alert's traits. */
  private cached: { index: number; traits: AlertTraits } | undefined;

  constructor(options: SyntheticTenantOptions) {
    this.options = resolveTenantOptions(options);
    this.id = this.options.id;
    this.key = mix32(this.options.seed);
    this.timeline = buildTimeline(this.options, this.key);
    this.directory = new TenantDirectory(this.key, this.id);
    this.visibility = { ingestion: this.options.ingestion, late: this.options.late };
    this.visibilityKeys = { AlertInfo: mix32(this.key ^ 0x51), AlertEvidence: mix32(this.key ^ 0xe5) };
  }

  /** All rows of `table`, visible or not. */
  size(table: HuntingTableName): number {
    const alerts = this.timeline.timestamps.length;
    return table === "AlertInfo" ? alerts : (this.timeline.evidenceStart[alerts] ?? 0);
  }

  /** Rows with `Timestamp` in `[startMs, endMs)` that are available at `asOfMs`, in Timestamp order. */
  *rows<T extends HuntingTableName>(table: T, range: TimeRange, asOfMs: number): Generator<TableRow<T>, void, undefined> {
    for (const index of this.rowIndexes(table, range, asOfMs)) yield this.row(table, index);
  }

  count(table: HuntingTableName, range: TimeRange, asOfMs: number): number {
    let n = 0;
    for (const _ of this.rowIndexes(table, range, asOfMs)) n++;
    return n;
  }

  /** Like `rows`, but the rows' indexes: a row's stable identity within its table. */
  *rowIndexes(table: HuntingTableName, range: TimeRange, asOfMs: number): Generator<number, void, undefined> {
    const { timestamps, evidenceStart } = this.timeline;
    const key = this.visibilityKeys[table];
    const last = firstAtLeast(timestamps, range.endMs);
    for (let a = firstAtLeast(timestamps, range.startMs); a < last; a++) {
      const t = timestamps[a] as number;
      if (table === "AlertInfo") {
        if (availableAtMs(this.visibility, key, a, t) <= asOfMs) yield a;
        continue;
      }
      const end = evidenceStart[a + 1] as number;
      for (let e = evidenceStart[a] as number; e < end; e++) {
        if (availableAtMs(this.visibility, key, e, t) <= asOfMs) yield e;
      }
    }
  }

  /** The row at `index` of `table` (see `rowIndexes`), whether available yet or not. */
  row<T extends HuntingTableName>(table: T, index: number): TableRow<T> {
    if (!(index >= 0 && index < this.size(table))) throw new RangeError(`${table} has no row ${index}`);
    if (table === "AlertInfo") return alertInfoRow(this.traits(index)) as TableRow<T>;
    const alertIndex = firstAbove(this.timeline.evidenceStart, index) - 1;
    const rank = index - (this.timeline.evidenceStart[alertIndex] as number);
    return evidenceRow(this.key, this.traits(alertIndex), { alertIndex, rank, index }, this.directory) as TableRow<T>;
  }

  private traits(alertIndex: number): AlertTraits {
    if (this.cached?.index !== alertIndex) {
      const traits = alertTraits(this.key, alertIndex, this.timeline.timestamps[alertIndex] as number);
      this.cached = { index: alertIndex, traits };
    }
    return this.cached.traits;
  }
}
