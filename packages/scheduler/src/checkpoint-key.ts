/** The part of every key of a tenant's query. */
function base(tenant: string, query: string): string {
  return `schedule/${tenant}/${query}`;
}

/**
 * Where a tenant's query remembers the end of the last window a pass enqueued. The first pass
 * (offset 0) keeps the key it always had; each re-sweep pass has its own, named by its offset, so
 * the passes advance apart and a pass keeps its checkpoint wherever its offset moves in
 * `schedule.resweepOffsetsMs`. Keyed by place in the list (`positionalKey`), removing the +1 h
 * offset handed its checkpoint to the +24 h pass (a day of windows never re-swept at 24 h), and
 * inserting one sent a month of windows a second +24 h re-sweep.
 */
export function checkpointKey(tenant: string, query: string, offsetMs = 0): string {
  return offsetMs === 0 ? base(tenant, query) : `${base(tenant, query)}/resweep-${offsetMs}`;
}

/** A re-sweep's checkpoint as releases before keyed it: by its place (1-based) in the offsets list. */
export function positionalKey(tenant: string, query: string, sweep: number): string {
  return `${base(tenant, query)}/sweep-${sweep}`;
}

/** Set once a query's positional re-sweep checkpoints were carried over to offset keys. */
export function offsetKeysMarker(tenant: string, query: string): string {
  return `${base(tenant, query)}/resweeps-by-offset`;
}

/**
 * Where the first pass of a tenant's query started. Pinned once, so a re-sweep pass that starts
 * later (a new deployment, an offset added to the config) begins there and never re-sweeps
 * history from before the deployment.
 */
export function originKey(tenant: string, query: string): string {
  return `${base(tenant, query)}/origin`;
}
