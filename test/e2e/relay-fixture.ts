import { join } from "node:path";
import { RelayConfig } from "@xdr-relay/core";
import { startHuntingEmulator, startIngestionEmulator } from "@xdr-relay/emulators";
import { jsonLogger } from "../../packages/cli/src/wiring/logger.ts";
import { buildPipeline } from "../../packages/cli/src/wiring/pipeline.ts";

/**
 * An in-process relay on the embedded queue in `dir`, against both loopback emulators (hunting
 * with no call quota, ingestion with no rules), logging errors only. Disposing closes all three.
 */
export async function emulatedRelay(dir: string) {
  const hunting = await startHuntingEmulator({ callsPerMinute: Number.POSITIVE_INFINITY });
  const ingestion = await startIngestionEmulator({ workspaceDir: join(dir, "workspace"), rules: [] });
  const config = RelayConfig.parse({
    dataDir: dir,
    auth: "none",
    hunting: { url: hunting.url },
    ingestion: { endpoint: ingestion.endpoint, dcrId: "dcr-test", lingerMs: 0 },
    tenants: [{ id: "contoso" }],
  });
  const pipeline = buildPipeline(
    config,
    jsonLogger("error", () => {}),
  );
  return {
    hunting,
    ingestion,
    pipeline,
    async [Symbol.asyncDispose]() {
      await pipeline.close();
      await ingestion.close();
      await hunting.close();
    },
  };
}
