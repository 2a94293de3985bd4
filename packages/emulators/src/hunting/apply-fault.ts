import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { faultFailure, type HuntingFault } from "./faults.ts";
import type { GraphFailure } from "./graph-error.ts";

/** What a fault leaves to do: answer with a failure, nothing (the connection is gone), or serve normally. */
export type FaultEffect = { readonly failure: GraphFailure } | "gone" | "serve";

/**
 * Plays a fault: waits its `delayMs` (cut short when the client leaves or the emulator closes),
 * then drops the connection, or hands back the error to answer, or lets the request through.
 */
export async function applyFault(args: {
  fault: HuntingFault;
  res: ServerResponse;
  signal: AbortSignal;
  callsPerMinute: number;
}): Promise<FaultEffect> {
  const { fault, res, signal } = args;
  if (fault.delayMs !== undefined && fault.delayMs > 0) {
    try {
      await sleep(fault.delayMs, undefined, { signal });
    } catch {
      return "gone";
    }
  }
  if (fault.dropConnection) {
    res.socket?.destroy();
    return "gone";
  }
  if (fault.status === undefined) return "serve";
  return { failure: faultFailure({ ...fault, status: fault.status }, args.callsPerMinute) };
}
