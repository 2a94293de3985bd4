import { type GraphFailure, graphErrorCode } from "./graph-error.ts";
import { huntingMessages } from "./messages.ts";
import { sequence } from "./prng.ts";

/** Canned wording for a fault: 429 `calls` (the default) or `cpu`; 400 `preempted` or `resultSize`; 504 `timeout`. */
export type FaultKind = "calls" | "cpu" | "preempted" | "resultSize" | "timeout";

/** One programmed misbehaviour, used up by the next request it applies to. */
export interface HuntingFault {
  /** Only for this tenant's requests; any tenant's when absent. */
  readonly tenant?: string;
  /** Wait this long (real time) first; without `status` or `dropConnection` the request is then answered normally. */
  readonly delayMs?: number;
  /** Answer with this status and a Graph error body. */
  readonly status?: number;
  readonly kind?: FaultKind;
  /** Override the error body's code (default: Graph's code for the status) or message. */
  readonly code?: string;
  readonly message?: string;
  /** `Retry-After` of a 429, default 1; `null` sends none (the SDKs then back off on their own). */
  readonly retryAfterSeconds?: number | null;
  /** Cut the connection without answering: a network failure. */
  readonly dropConnection?: boolean;
}

/** Faults waiting for requests, first in first out; a tenant's request takes the first that applies to it. */
export class FaultQueue {
  private readonly queue: HuntingFault[] = [];

  push(...faults: HuntingFault[]): number {
    return this.queue.push(...faults);
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }

  take(tenant: string): HuntingFault | undefined {
    const i = this.queue.findIndex((f) => f.tenant === undefined || f.tenant === tenant);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }
}

/** Faults at random, reproducibly: each request fails with probability `rate`, with a fault drawn from `menu`. */
export class RandomFaults {
  private readonly random: () => number;

  constructor(
    private readonly rate: number,
    seed: number,
    private readonly menu: readonly HuntingFault[],
  ) {
    this.random = sequence(seed);
  }

  draw(): HuntingFault | undefined {
    if (this.rate <= 0 || this.menu.length === 0 || this.random() >= this.rate) return undefined;
    return this.menu[Math.floor(this.random() * this.menu.length)];
  }
}

/** The answer a fault with a status gives; `callsPerMinute` words a call-quota 429. */
export function faultFailure(fault: HuntingFault & { status: number }, callsPerMinute: number): GraphFailure {
  const retryAfterSeconds = fault.status === 429 && fault.retryAfterSeconds !== null ? (fault.retryAfterSeconds ?? 1) : undefined;
  return {
    status: fault.status,
    code: fault.code ?? graphErrorCode(fault.status),
    message: fault.message ?? cannedMessage(fault, retryAfterSeconds ?? 1, callsPerMinute),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}

function cannedMessage(fault: HuntingFault & { status: number }, retryAfterSeconds: number, callsPerMinute: number): string {
  switch (fault.kind) {
    case "cpu":
      return huntingMessages.cpuQuota(retryAfterSeconds);
    case "preempted":
      return huntingMessages.preempted();
    case "resultSize":
      return huntingMessages.resultSize(124 * 1024 * 1024);
    case "timeout":
      return huntingMessages.timeout();
    default:
      if (fault.status === 429) return huntingMessages.callQuota(callsPerMinute, retryAfterSeconds);
      return `Injected fault: HTTP ${fault.status}.`;
  }
}
