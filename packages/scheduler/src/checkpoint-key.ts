/** Where a tenant's query remembers the end of the last window it enqueued. */
export function checkpointKey(tenant: string, query: string): string {
  return `schedule/${tenant}/${query}`;
}
