import { RelayConfig } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load-config.ts";
import { runCommand, runDefaults } from "./run.ts";
import { UsageError } from "./usage-error.ts";

const config = RelayConfig.parse({
  dataDir: "/nonexistent/never-opened",
  ingestion: { endpoint: "https://dce.example", dcrId: "dcr-1" },
  tenants: [{ id: "contoso.onmicrosoft.com" }],
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

describe("run --role: the settings each role does without", () => {
  const sinkSettings = { XDR_RELAY_INGESTION_ENDPOINT: "https://dce.example", XDR_RELAY_DCR_ID: "dcr-0123" };
  const load = (role: string, env: Record<string, string>) => () => loadConfig({ env, defaults: runDefaults(role) });

  it("lets a fetcher or scheduler host go without the sink's endpoint and rule", () => {
    expect(load("fetcher", { XDR_RELAY_TENANTS: "contoso.onmicrosoft.com" })().tenants.map((t) => t.id)).toEqual([
      "contoso.onmicrosoft.com",
    ]);
    expect(load("scheduler,fetcher", { XDR_RELAY_TENANTS: "contoso.onmicrosoft.com" })).not.toThrow();
  });

  it("lets a sink host go without tenants, and still checks the sink's own settings", () => {
    expect(load("sink", sinkSettings)().ingestion.dcrId).toBe("dcr-0123");
    expect(load("sink", {})).toThrow(/ingestion\.endpoint/);
  });

  it("asks a host that runs fetch and sink together for both", () => {
    expect(load("fetcher,sink", sinkSettings)).toThrow(/tenants: required/);
    expect(load("all", { XDR_RELAY_TENANTS: "contoso.onmicrosoft.com" })).toThrow(/ingestion\.endpoint/);
  });
});
