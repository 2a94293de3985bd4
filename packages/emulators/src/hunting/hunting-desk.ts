import type { CallQuota } from "./call-quota.ts";
import type { ResolvedEmulatorOptions } from "./emulator-options.ts";
import type { FaultQueue, RandomFaults } from "./faults.ts";
import type { ResultCache } from "./result-cache.ts";
import type { ServedRows } from "./served-rows.ts";

/** Counters since start; `throttled` counts every 429 sent, `faulted` every injected fault used. */
export interface HuntingEmulatorStats {
  calls: number;
  throttled: number;
  faulted: number;
  rowsServed: number;
  distinctRowsServed: number;
}

/** What every call shares: the emulator's options and its mutable parts. */
export interface HuntingDesk {
  readonly options: ResolvedEmulatorOptions;
  readonly faults: FaultQueue;
  readonly randomFaults: RandomFaults;
  readonly quota: CallQuota;
  readonly served: ServedRows;
  /** The last result body served, for calls that ask for the same rows again. */
  readonly results: ResultCache;
  readonly stats: Omit<HuntingEmulatorStats, "distinctRowsServed">;
  /** Aborted when the emulator closes: injected delays end early. */
  readonly closing: AbortSignal;
}

/** How a call ended, for `onCall`: status 0 when the connection was dropped. */
export interface CallOutcome {
  readonly status: number;
  readonly rows: number;
}
