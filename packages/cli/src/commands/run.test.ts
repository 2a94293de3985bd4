import { RelayConfig } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { runCommand } from "./run.ts";
import { UsageError } from "./usage-error.ts";

const config = RelayConfig.parse({
  dataDir: "/nonexistent/never-opened",
  ingestion: { endpoint: "https://dce.example", dcrId: "dcr-1" },
  tenants: [{ id: "contoso" }],
});
const run = (role: string) =>
  runCommand(config, { role, untilIdle: true, logLevel: "error", signal: new AbortController().signal, statsEverySeconds: "0" });

describe("run --role", () => {
  it("says all stands alone when it is listed with others, before opening anything", async () => {
    await expect(run("all,sink")).rejects.toThrow(new UsageError('--role all stands alone: it is every role; got "all,sink"'));
  });

  it("names the roles, and that a list of them is taken, for a role it does not know", async () => {
    await expect(run("fetcher,sinks")).rejects.toThrow(
      new UsageError(
        '--role takes scheduler, fetcher, sink or a comma-separated list of them (fetcher,sink), or all; got "sinks"',
      ),
    );
  });
});
