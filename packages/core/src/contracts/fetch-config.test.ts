import { describe, expect, it } from "vitest";
import { RelayConfig } from "./config.ts";
import { issuePaths } from "./schema-issues.ts";

const minimal = {
  ingestion: { endpoint: "https://dce.westeurope-1.ingest.monitor.azure.com", dcrId: "dcr-0123" },
  tenants: [{ id: "contoso.onmicrosoft.com" }],
};
const withTenant = (tenant: Record<string, unknown>) => ({ ...minimal, tenants: [{ id: "contoso.onmicrosoft.com", ...tenant }] });

describe("RelayConfig: fetch-side settings", () => {
  it("defaults the call budget, the message limit, the API and the credential", () => {
    const config = RelayConfig.parse(minimal);
    expect(config.hunting).toMatchObject({
      callsPerMinute: 45,
      callsPerHour: 1_500,
      legacyUrl: "https://api.security.microsoft.com/api/advancedhunting/run",
    });
    expect(config.queue.maxMessageBytes).toBe(262_144);
    expect(config.tenants[0]).toMatchObject({ api: "graph", credential: { kind: "default" } });
  });

  it.each([
    [{ kind: "clientSecret", clientId: "app-1", clientSecretEnv: "CONTOSO_SECRET" }],
    [{ kind: "certificate", clientId: "app-1", certificatePath: "/etc/xdr/contoso.pem" }],
    [{ kind: "managedIdentity" }],
    [{ kind: "managedIdentity", clientId: "uami-1" }],
    [{ kind: "workloadIdentity", clientId: "app-1" }],
  ])("accepts the credential %j", (credential) => {
    expect(RelayConfig.parse(withTenant({ api: "legacy", credential })).tenants[0]?.credential).toEqual(credential);
  });

  it.each([
    [
      "an inline secret",
      withTenant({ credential: { kind: "clientSecret", clientId: "a", clientSecret: "s3cret" } }),
      ["tenants.0.credential.clientSecretEnv", "tenants.0.credential"],
    ],
    [
      "a secret variable that is not a name",
      withTenant({ credential: { kind: "clientSecret", clientId: "a", clientSecretEnv: "a b" } }),
      ["tenants.0.credential.clientSecretEnv"],
    ],
    [
      "a certificate without its file",
      withTenant({ credential: { kind: "certificate", clientId: "a" } }),
      ["tenants.0.credential.certificatePath"],
    ],
    ["an unknown credential kind", withTenant({ credential: { kind: "password" } }), ["tenants.0.credential.kind"]],
    ["an unknown API", withTenant({ api: "mde" }), ["tenants.0.api"]],
    ["a zero call budget", { ...minimal, hunting: { callsPerMinute: 0 } }, ["hunting.callsPerMinute"]],
    ["a tenant's zero call budget", withTenant({ callsPerMinute: 0 }), ["tenants.0.callsPerMinute"]],
    ["a tenant's fractional hourly budget", withTenant({ callsPerHour: 1.5 }), ["tenants.0.callsPerHour"]],
    ["a tenant's budget as text", withTenant({ callsPerMinute: "90" }), ["tenants.0.callsPerMinute"]],
    [
      "a duplicate history shorter than the last re-sweep (its rows would land twice)",
      { ...minimal, queue: { duplicateDetectionHistoryMs: 3_600_000 } },
      ["queue.duplicateDetectionHistoryMs"],
    ],
    [
      "a message limit over Premium's 100 MB",
      { ...minimal, queue: { maxMessageBytes: 200 * 1024 * 1024 } },
      ["queue.maxMessageBytes"],
    ],
  ])("refuses %s", (_, input, paths) => {
    expect(issuePaths(RelayConfig, input)).toEqual(paths);
  });
});
