import { alignDown } from "@xdr-relay/core";

const hourMs = 3_600_000;

/** What the demo simulates: a period of Defender alerts, sized to a row count. */
export interface DemoPlan {
  readonly startMs: number;
  readonly endMs: number;
  readonly windowMs: number;
  readonly lagMs: number;
  readonly alertsPerHour: number;
  readonly evidencePerAlert: number;
  /** The re-sweep looks at the last `resweepMs` of the period again, `resweepAfterMs` later. */
  readonly resweepMs: number;
  readonly resweepAfterMs: number;
}

export function demoPlan(args: { nowMs: number; hours: number; rows: number }): DemoPlan {
  const windowMs = 5 * 60_000;
  const lagMs = 10 * 60_000;
  const evidencePerAlert = 3;
  const endMs = alignDown(args.nowMs - lagMs, windowMs);
  return {
    startMs: endMs - args.hours * hourMs,
    endMs,
    windowMs,
    lagMs,
    // One AlertInfo row and about `evidencePerAlert` AlertEvidence rows per alert.
    alertsPerHour: Math.ceil(args.rows / args.hours / (1 + evidencePerAlert)),
    evidencePerAlert,
    resweepMs: Math.min(2 * hourMs, args.hours * hourMs),
    resweepAfterMs: 2 * hourMs,
  };
}
