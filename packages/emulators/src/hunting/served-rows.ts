import type { HuntingTableName } from "./tables.ts";

/**
 * Which rows the emulator has ever served, per tenant and table: one bit per row of the table (a
 * 1M-row table costs 125 KB), so `distinctRowsServed` can show re-sends without keeping rows.
 */
export class ServedRows {
  private readonly bits = new Map<string, Uint8Array>();
  private distinctCount = 0;

  get distinct(): number {
    return this.distinctCount;
  }

  /** A marker for rows of one tenant's table of `size` rows; looked up once per call, not per row. */
  marker(tenant: string, table: HuntingTableName, size: number): (index: number) => void {
    const key = `${tenant}\n${table}`;
    const bits = this.bits.get(key) ?? new Uint8Array(Math.ceil(size / 8));
    this.bits.set(key, bits);
    return (index) => {
      const byte = index >>> 3;
      const bit = 1 << (index & 7);
      const current = bits[byte] ?? 0;
      if (current & bit) return;
      bits[byte] = current | bit;
      this.distinctCount++;
    };
  }
}
