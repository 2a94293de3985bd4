import type { HuntingFault } from "@xdr-relay/emulators";

const times = (n: number, fault: HuntingFault): HuntingFault[] => Array.from({ length: n }, () => fault);

/**
 * What the first requests of the run meet, in order: a 429 storm on the call quota (with
 * `Retry-After`) and on the CPU quota (without: the fetcher backs off on its own), then windows
 * refused as too large (result-size 400, 504 "timed out": both must split), a bare 504 (a timeout
 * that says nothing of why: it splits a window on its first attempt, else it is retried), then
 * transient failures that spend attempts (a 502, a 503, dropped connections). At most one transient
 * fault per window is likely (retries queue behind the backlog), so none should reach maxAttempts.
 */
export const openingFaults: readonly HuntingFault[] = [
  ...times(12, { status: 429, kind: "calls", retryAfterSeconds: 1 }),
  ...times(8, { status: 429, kind: "cpu", retryAfterSeconds: null }),
  ...times(3, { status: 400, kind: "resultSize" }),
  ...times(3, { status: 504, kind: "timeout" }),
  { status: 504 },
  { dropConnection: true },
  { status: 503 },
  { dropConnection: true },
  { status: 502 },
];

/**
 * A second storm for the restarted fetcher: the CPU quota, then the call quota, both with
 * `Retry-After`. Short: when few windows are left it falls on one of them, one wait after another.
 */
export const restartStorm: readonly HuntingFault[] = [
  ...times(3, { status: 429, kind: "cpu", retryAfterSeconds: 1 }),
  ...times(3, { status: 429, kind: "calls", retryAfterSeconds: 1 }),
];

/** Transient failures drawn at random (`failRate` of all calls), on top of the programmed ones. */
export const randomFaults: readonly HuntingFault[] = [{ status: 500 }, { status: 503 }, { dropConnection: true }];

/** Programmed faults that make the emulator split a window (the rest are retried or throttled). */
export const splittingFaults = openingFaults.filter((f) => f.kind === "resultSize" || f.kind === "timeout").length;
export const throttlingFaults = [...openingFaults, ...restartStorm].filter((f) => f.status === 429).length;
