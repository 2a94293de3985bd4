import type { RelayConfig } from "@xdr-relay/core";
import { allRoles, type Role, runRoles } from "../roles/run-roles.ts";
import { jsonLogger, type LogLevel } from "../wiring/logger.ts";
import { buildPipeline } from "../wiring/pipeline.ts";
import { UsageError } from "./usage-error.ts";

export async function runCommand(
  config: RelayConfig,
  options: { role?: string | undefined; untilIdle: boolean; logLevel: LogLevel; signal: AbortSignal },
): Promise<number> {
  const roles = parseRoles(options.role);
  const pipeline = buildPipeline(config, jsonLogger(options.logLevel));
  try {
    await pipeline.ready();
    await runRoles(pipeline, { roles, untilIdle: options.untilIdle, fetchConcurrency: 4, signal: options.signal });
  } finally {
    await pipeline.close();
  }
  const m = pipeline.metrics;
  console.log(
    `windows=${m.get("windowsFetched")} rowsSent=${m.get("rowsSent")} rowsIngested=${m.get("rowsIngested")} deadLettered=${m.get("windowsMessageDeadLettered") + m.get("rowsMessageDeadLettered")}`,
  );
  return 0;
}

function parseRoles(role: string | undefined): Role[] {
  if (role === undefined || role === "all") return [...allRoles];
  const roles = role.split(",").map((r) => r.trim());
  for (const r of roles) {
    if (!(allRoles as readonly string[]).includes(r))
      throw new UsageError(`--role must be one of ${allRoles.join(", ")} (or all), got "${r}"`);
  }
  return roles as Role[];
}
