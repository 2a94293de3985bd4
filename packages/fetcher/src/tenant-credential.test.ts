import type { TokenCredential } from "@azure/identity";
import * as identity from "@azure/identity";
import type { TenantCredential } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { huntingCredentials } from "./credentials.ts";
import { azureIdentityClasses, credentialFromConfig, type IdentityClasses } from "./tenant-credential.ts";

const tenant = "0f9e8d7c-6b5a-4321-8765-43210fedcba9";
const env = { CONTOSO_SECRET: "s3cret", AZURE_CLIENT_ID: "wi-app" };

/** Records which constructor was chosen and with what; makes no credential that could call Azure. */
function recordingClasses() {
  const made: unknown[][] = [];
  const fake =
    (kind: string) =>
    (...args: unknown[]): TokenCredential => {
      made.push([kind, ...args]);
      return { getToken: async () => null };
    };
  const classes: IdentityClasses = {
    default: fake("default"),
    clientSecret: fake("clientSecret"),
    certificate: fake("certificate"),
    managedIdentity: fake("managedIdentity"),
    workloadIdentity: fake("workloadIdentity"),
  };
  return { classes, made };
}

const cases: [TenantCredential, unknown[], new (...args: never[]) => TokenCredential][] = [
  [{ kind: "default" }, ["default", { tenantId: tenant, additionallyAllowedTenants: [tenant] }], identity.DefaultAzureCredential],
  [
    { kind: "clientSecret", clientId: "app-1", clientSecretEnv: "CONTOSO_SECRET" },
    ["clientSecret", tenant, "app-1", "s3cret"],
    identity.ClientSecretCredential,
  ],
  [
    { kind: "certificate", clientId: "app-1", certificatePath: "/etc/xdr/contoso.pem" },
    ["certificate", tenant, "app-1", "/etc/xdr/contoso.pem"],
    identity.ClientCertificateCredential,
  ],
  [{ kind: "managedIdentity" }, ["managedIdentity", {}], identity.ManagedIdentityCredential],
  [
    { kind: "managedIdentity", clientId: "uami-1" },
    ["managedIdentity", { clientId: "uami-1" }],
    identity.ManagedIdentityCredential,
  ],
  [
    { kind: "workloadIdentity" },
    ["workloadIdentity", { tenantId: tenant, clientId: "wi-app" }],
    identity.WorkloadIdentityCredential,
  ],
  [
    { kind: "workloadIdentity", clientId: "app-1" },
    ["workloadIdentity", { tenantId: tenant, clientId: "app-1" }],
    identity.WorkloadIdentityCredential,
  ],
];

describe("credentialFromConfig", () => {
  it.each(cases)("maps %j to its class with the tenant id", (credential, expected) => {
    const { classes, made } = recordingClasses();
    credentialFromConfig(tenant, credential, { env, classes });
    expect(made).toEqual([expected]);
  });

  it.each(cases)("builds %j as the real @azure/identity class, without calling Azure", (credential, _, cls) => {
    // Workload identity reads its token file's path from the environment when it is made.
    const saved = process.env["AZURE_FEDERATED_TOKEN_FILE"];
    process.env["AZURE_FEDERATED_TOKEN_FILE"] = "/var/run/secrets/azure/tokens/azure-identity-token";
    try {
      expect(credentialFromConfig(tenant, credential, { env, classes: azureIdentityClasses })).toBeInstanceOf(cls);
    } finally {
      if (saved === undefined) delete process.env["AZURE_FEDERATED_TOKEN_FILE"];
      else process.env["AZURE_FEDERATED_TOKEN_FILE"] = saved;
    }
  });

  it("leaves the tenant to the environment for an emulated tenant's short name", () => {
    const { classes, made } = recordingClasses();
    credentialFromConfig("contoso", { kind: "default" }, { classes });
    expect(made).toEqual([["default", {}]]);
  });

  it.each([
    [{ kind: "clientSecret", clientId: "app-1", clientSecretEnv: "MISSING_SECRET" }, tenant, "MISSING_SECRET"],
    [{ kind: "workloadIdentity" }, tenant, "AZURE_CLIENT_ID"],
    [{ kind: "certificate", clientId: "app-1", certificatePath: "/x.pem" }, "not a tenant!", "not a tenant!"],
  ] as [TenantCredential, string, string][])("refuses %j as a ConfigError saying what to set", (credential, id, text) => {
    expect(() => credentialFromConfig(id, credential, { env: {} })).toThrow(
      expect.objectContaining({ name: "ConfigError", message: expect.stringContaining(text) }),
    );
  });
});

describe("huntingCredentials with per-tenant credentials", () => {
  it("gives each tenant its configured credential, and the default to the others", () => {
    const { classes, made } = recordingClasses();
    const credentialFor = huntingCredentials("azure", "https://graph.microsoft.com/v1.0/security/runHuntingQuery", {
      credentials: { [tenant]: { kind: "managedIdentity", clientId: "uami-1" } },
      classes,
    });
    credentialFor?.(tenant);
    credentialFor?.("contoso");
    credentialFor?.(tenant);
    expect(made).toEqual([
      ["managedIdentity", { clientId: "uami-1" }],
      ["default", {}],
    ]);
  });
});
