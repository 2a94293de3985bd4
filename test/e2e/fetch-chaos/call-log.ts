import { parseWindowFilter } from "@xdr-relay/core";
import type { HuntingCall } from "@xdr-relay/emulators";

export interface LoggedCall extends HuntingCall {
  readonly atMs: number;
  /** The window the query asked for (from its time filter). */
  readonly startMs: number;
  readonly endMs: number;
}

/** Every call the hunting emulator answered, with when and for which window: what the tests count faults, splits and budgets on. */
export class CallLog {
  readonly calls: LoggedCall[] = [];

  readonly onCall = (call: HuntingCall): void => {
    const range = parseWindowFilter(call.query ?? "");
    this.calls.push({ ...call, atMs: Date.now(), startMs: range?.startMs ?? Number.NaN, endMs: range?.endMs ?? Number.NaN });
  };

  since(index: number, tenant?: string): LoggedCall[] {
    return this.calls.slice(index).filter((c) => tenant === undefined || c.tenant === tenant);
  }

  /**
   * The most calls that fell in any `spanMs`: what a per-minute budget bounds. Calls are logged
   * when answered, which trails when they were made by their duration, so a span a little under
   * a minute is the fair test of a per-minute budget.
   */
  static busiestSpan(calls: readonly LoggedCall[], spanMs: number): number {
    const times = calls.map((c) => c.atMs).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while ((times[j] as number) - (times[i] as number) >= spanMs) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  }
}
