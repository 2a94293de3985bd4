import {
  type ConfigFaultRecord,
  configFaultDelayMs,
  describeError,
  isConfigError,
  type Logger,
  type Metrics,
  type RelayError,
} from "@xdr-relay/core";

interface Fault {
  readonly sinceMs: number;
  /** When the next window may go out as a probe. */
  probeAtMs: number;
  /** Calls out now that may clear or confirm the fault. */
  probes: number;
  /** Windows held back since the fault opened, for the log that says it cleared. */
  held: number;
}

/**
 * Holds back the windows of a tenant whose hunting calls fail for a configuration fault (401, 403,
 * 404, or no token for its identity), the fetcher's counterpart of the sink's `ConfigFaultPause`,
 * kept per tenant so the others go on. Without it every window of that tenant was called, failed,
 * logged an error and came back a minute later: a backlog of a day made 45 failing calls and 45
 * error lines a minute, for as long as the fault lasted (a soak run measured it). Now one window a
 * minute probes; the rest wait without a call or an attempt spent; one error when the fault opens,
 * one line when it clears.
 */
export class TenantFaultGate {
  private readonly faults = new Map<string, Fault>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly now: () => number,
    private readonly probeEveryMs: number = configFaultDelayMs,
    /** Where `status`, in another process, reads that a tenant's fetching is paused and why. */
    private readonly recordOf?: (tenant: string) => ConfigFaultRecord,
  ) {}

  /** ms to hold a window of `tenant` back without a call; 0: call (no fault, or time to probe). */
  holdFor(tenant: string): number {
    const fault = this.faults.get(tenant);
    if (fault === undefined) return 0;
    const waitMs = fault.probeAtMs - this.now();
    if (fault.probes === 0 && waitMs <= 0) return 0;
    fault.held++;
    this.metrics.increment("windowsHeldForFault");
    return Math.max(waitMs, 0) + (fault.probes > 0 ? this.probeEveryMs : 0);
  }

  /** A call for `tenant` goes out now: while the tenant is faulted, it is a probe. */
  calling(tenant: string): void {
    const fault = this.faults.get(tenant);
    if (fault) fault.probes++;
  }

  /** The call got an answer (`error` undefined) or failed: a configuration fault opens or stays, anything else clears it. */
  answered(tenant: string, error: unknown): void {
    const fault = this.dropped(tenant);
    const now = this.now();
    if (error !== undefined && isConfigError(error)) {
      this.metrics.increment("tenantConfigFault");
      // On every failed probe, so the record stays fresh while the fault lasts.
      this.recordOf?.(tenant).opened(`hunting calls for ${tenant} fail (${describeError(error)}): ${huntingFaultFix(error)}`);
      if (fault) {
        fault.probeAtMs = now + this.probeEveryMs;
        return;
      }
      this.faults.set(tenant, { sinceMs: now, probeAtMs: now + this.probeEveryMs, probes: 0, held: 0 });
      this.logger.error("tenantConfigFault", {
        tenant,
        error: describeError(error),
        fix: `${huntingFaultFix(error)}; its windows wait, one probe a minute`,
        probeEveryMs: this.probeEveryMs,
      });
      return;
    }
    // A call that went through, also with no fault of ours: the record may hold one an earlier
    // process left open. Another failure (a 503) proves the fault gone only for a fault of ours.
    if (error === undefined || fault) this.recordOf?.(tenant).cleared();
    if (!fault) return;
    this.faults.delete(tenant);
    this.logger.info("tenantConfigFaultCleared", { tenant, forMs: now - fault.sinceMs, windowsHeld: fault.held });
  }

  /** The call was dropped without an answer (a stop): it proved nothing. Returns the tenant's fault, if any. */
  dropped(tenant: string): Fault | undefined {
    const fault = this.faults.get(tenant);
    if (fault) fault.probes = Math.max(0, fault.probes - 1);
    return fault;
  }
}

/**
 * What to fix for a Graph configuration fault, by what the service said: a 404 is an address
 * (the path or host of `hunting.url`), not a permission, and sending the operator to grant a
 * role they already granted wastes the hour that matters.
 */
export function huntingFaultFix(error: RelayError): string {
  if (error.status === 404) {
    return "check hunting.url (XDR_RELAY_HUNTING_URL): the service found no API at that address (a 404 is no permission problem)";
  }
  return "grant the tenant's app ThreatHunting.Read.All (application) with admin consent, or fix its credential";
}
