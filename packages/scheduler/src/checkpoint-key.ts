/**
 * Where a tenant's query remembers the end of the last window a pass enqueued. Pass 0 (the first
 * pass) keeps the key it always had; each re-sweep pass has its own, so the passes advance apart.
 */
export function checkpointKey(tenant: string, query: string, sweep = 0): string {
  const key = `schedule/${tenant}/${query}`;
  return sweep === 0 ? key : `${key}/sweep-${sweep}`;
}

/**
 * Where the first pass of a tenant's query started. Pinned once, so a re-sweep pass that starts
 * later (a new deployment, an offset added to the config) begins there and never re-sweeps
 * history from before the deployment.
 */
export function originKey(tenant: string, query: string): string {
  return `schedule/${tenant}/${query}/origin`;
}
