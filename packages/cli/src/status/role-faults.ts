import {
  type CheckpointStore,
  type ConfigFaultState,
  fetcherFaultKey,
  type RelayConfig,
  readConfigFault,
  sinkFaultKey,
} from "@xdr-relay/core";

/** A role paused on a configuration fault now, as its record in the checkpoint store says. */
export interface RoleFault {
  /** `sink`, or `fetcher for <tenant>`. */
  readonly role: string;
  readonly sinceMs: number;
  readonly seenAtMs: number;
  readonly fix: string;
}

/**
 * A paused role rewrites its record on each failed probe, a minute apart. One not seen for this
 * long is of a process that stopped (killed while paused, or stopped and not started again): it
 * says nothing of the relay now, and a stopped consumer shows in its queue's waiting messages.
 */
const staleAfterMs = 5 * 60_000;

/** The roles paused on a configuration fault at `nowMs`: the sink, and each configured tenant's fetching. */
export async function roleFaults(
  config: Pick<RelayConfig, "tenants">,
  store: CheckpointStore,
  nowMs: number,
): Promise<RoleFault[]> {
  const keys = [
    { role: "sink", key: sinkFaultKey },
    ...config.tenants.map((t) => ({ role: `fetcher for ${t.id}`, key: fetcherFaultKey(t.id) })),
  ];
  const faults: RoleFault[] = [];
  for (const { role, key } of keys) {
    const state = await readConfigFault(store, key);
    if (isOpen(state) && nowMs - state.seenAtMs <= staleAfterMs) faults.push({ role, ...state });
  }
  return faults;
}

function isOpen(state: ConfigFaultState | undefined): state is ConfigFaultState & { sinceMs: number } {
  return state?.sinceMs !== undefined;
}
