import { type ConfigFaultRecord, configFaultDelayMs, type Logger, type Metrics } from "@xdr-relay/core";

/** What the sink knows about a configuration fault: enough for the operator to fix it. */
export interface ConfigFault {
  readonly status: number | undefined;
  readonly dcrId: string;
  readonly stream: string;
  readonly message: string;
}

/**
 * Tells the host loop to stop receiving while the deployment is misconfigured (401/403/404).
 * Every row of the backlog would fail the same way, and each receive would cost it a delivery:
 * pausing keeps the backlog untouched until the fix. The rows already in hand are retried without
 * spending an attempt; after each pause the next receive is the probe, and one accepted upload
 * clears the fault. One error log per fault (not per batch), one metric per failed call.
 */
export class ConfigFaultPause {
  private current: ConfigFault | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** How long to wait before probing again. */
    private readonly pauseMs: number = configFaultDelayMs,
    /** Where `status`, in another process, reads that the sink is paused and why. */
    private readonly record?: ConfigFaultRecord,
  ) {}

  /** ms the host should wait before its next receive: 0 unless a fault is open. */
  pauseFor(): number {
    return this.current === undefined ? 0 : this.pauseMs;
  }

  get faulted(): boolean {
    return this.current !== undefined;
  }

  report(fault: ConfigFault): void {
    this.metrics.increment("ingestionConfigFault");
    // On every failed probe, so the record stays fresh while the fault lasts.
    this.record?.opened(`${faultWhat(fault)}: ${configFaultFix(fault)}`);
    if (this.current !== undefined) return;
    this.current = fault;
    this.logger.error("ingestionConfigFault", { ...fault, fix: configFaultFix(fault), pausedMs: this.pauseMs });
  }

  /** An upload was accepted: the fault, if any, is fixed. */
  cleared(): void {
    // Also with no fault of ours: the record may hold one an earlier process left open.
    this.record?.cleared();
    if (this.current === undefined) return;
    this.logger.info("ingestionConfigFaultCleared", { dcrId: this.current.dcrId, stream: this.current.stream });
    this.current = undefined;
  }
}

function faultWhat(fault: ConfigFault): string {
  const answer = fault.status === undefined ? "no token" : `HTTP ${fault.status}`;
  return `uploads to ${fault.stream} (rule ${fault.dcrId}) fail with ${answer}`;
}

/**
 * The fix in plain words, by status: 401/403 is the role, 404 the rule id or the stream, none (the
 * call never went out) the identity's own credential.
 */
export function configFaultFix(fault: ConfigFault): string {
  if (fault.status === undefined) {
    return (
      "the sink's identity got no token from Microsoft Entra ID: check its credential (for DefaultAzureCredential, " +
      "AZURE_TENANT_ID, AZURE_CLIENT_ID and the client secret or certificate, or the managed or workload identity) " +
      "and that Entra ID is reachable; the sink resumes by itself once an upload is accepted"
    );
  }
  if (fault.status === 404) {
    return (
      `the data collection rule ${fault.dcrId} or its stream ${fault.stream} was not found: set ingestion.dcrId to the rule's ` +
      `immutable id (dcr-…, on the rule's JSON view) and declare ${fault.stream} in its streamDeclarations; ` +
      "ingestion.endpoint must be a logs ingestion endpoint in the rule's region (its data collection endpoint's, or a Direct rule's own)"
    );
  }
  return (
    `the sink's identity may not ingest into rule ${fault.dcrId} (stream ${fault.stream}): assign it the ` +
    `"Monitoring Metrics Publisher" role on that data collection rule; a new grant can take 30 minutes to apply, ` +
    `and the sink resumes by itself once an upload is accepted`
  );
}
