import type { QueryScope } from "./query-rows.ts";

/** A piece of a rendered body and the table indexes of the rows it completes. */
export interface RenderedChunk {
  readonly bytes: Buffer;
  readonly rowIndexes: Uint32Array;
}

/** A whole result body as it was sent, with what it was computed from. */
export interface RenderedResult {
  /** Tenant, table, columns, filters, row cap and schema spelling: all but the rows scanned. */
  readonly key: string;
  /** Indexes of the rows the query looked at, in order: with the key, they fix the body. */
  readonly scanned: Uint32Array;
  /** Whether the row cap stopped the scan (later rows then cannot change the body). */
  readonly capped: boolean;
  readonly chunks: readonly RenderedChunk[];
  readonly bytes: number;
}

/**
 * The last result body served, to serve again as is when a call asks for the same rows: a bench
 * or a retry that fetches one 100,000-row window several times then costs the emulator a copy,
 * not a rendering. Truthful by construction: a row's content is a function of its table index,
 * so a body is reused only when the query looks at exactly the same rows, in the same order, as
 * of now (a late row that became visible since is a different scan, hence a new rendering).
 * One entry: a cache of every window would hold every result the emulator ever served.
 */
export class ResultCache {
  private last: RenderedResult | undefined;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  find(key: string, scope: QueryScope): RenderedResult | undefined {
    const last = this.last;
    if (!last || last.key !== key) return undefined;
    const { tenant, plan, range, asOfMs } = scope;
    let i = 0;
    for (const index of tenant.rowIndexes(plan.table, range, asOfMs)) {
      if (i === last.scanned.length) return last.capped ? last : undefined;
      if (last.scanned[i++] !== index) return undefined;
    }
    return i === last.scanned.length ? last : undefined;
  }

  keep(result: RenderedResult): void {
    this.last = result.bytes <= this.maxBytes ? result : undefined;
  }
}

/** What, besides the rows scanned, decides a result's bytes. */
export function resultKey(scope: QueryScope, capitalizedSchema: boolean): string {
  const { tenant, plan, rowCap } = scope;
  const filters = plan.filters.map((f) => [f.column, [...f.values].sort()]);
  return JSON.stringify([tenant.id, plan.table, plan.columns, filters, rowCap, capitalizedSchema]);
}
