/**
 * The service's wording for the failures a client must tell apart by message: the status alone
 * does not say whether a 429 is the call quota or the CPU quota, or whether a 400 means "split the
 * window" (result size, preempted) or "fix the query". Wording is close to Microsoft's documented
 * texts; clients should match keywords (`call`, `CPU`, `result size`, `preempted`), not whole strings.
 */
export const huntingMessages = {
  callQuota: (callsPerMinute: number, retryAfterSeconds: number) =>
    `Too many requests: the tenant's call quota of ${callsPerMinute} calls per minute for advanced hunting is exhausted. ` +
    `Retry after ${retryAfterSeconds} seconds.`,
  cpuQuota: (retryAfterSeconds: number) =>
    "Too many requests: the tenant's CPU quota for advanced hunting is exhausted for the current 15-minute cycle. " +
    `Retry after ${retryAfterSeconds} seconds.`,
  resultSize: (limitBytes: number) =>
    `Query execution has exceeded the allowed result size (${limitBytes} bytes). ` +
    "Optimize your query by reducing the time range, filtering rows or projecting fewer columns.",
  preempted: () => "Query execution was preempted by the service. Run the query again or reduce its time range.",
  timeout: () => "Query execution timed out after 3 minutes. Reduce the time range of the query.",
} as const;
