import { describe, expect, it } from "vitest";
import { RelayConfig } from "./config.ts";
import { applyEnv, formatConfigIssues } from "./config-env.ts";

const base = { ingestion: { endpoint: "https://dce.example", dcrId: "dcr-1" }, tenants: [{ id: "contoso.onmicrosoft.com" }] };

function problems(input: unknown): string[] {
  const result = RelayConfig.safeParse(input);
  return result.success ? [] : formatConfigIssues(result.error).split("\n");
}

describe("checkpoint config", () => {
  it("defaults to the SQLite file in the data dir", () => {
    expect(RelayConfig.parse(base).checkpoint).toEqual({ kind: "sqlite" });
  });

  it("takes a blob container from the environment, with the connection string's variable by name", () => {
    const env = {
      XDR_RELAY_CHECKPOINT: "blob",
      XDR_RELAY_CHECKPOINT_CONTAINER: "xdr-relay-checkpoints",
      XDR_RELAY_CHECKPOINT_CONNECTION_STRING_ENV: "AzureWebJobsStorage",
    };
    expect(RelayConfig.parse(applyEnv(base, env)).checkpoint).toEqual({
      kind: "blob",
      container: "xdr-relay-checkpoints",
      connectionStringEnv: "AzureWebJobsStorage",
    });
  });

  it("takes an account URL whose scheme is in capitals, as https it is", () => {
    const checkpoint = { kind: "blob", accountUrl: "HTTPS://relaystore.blob.core.windows.net", container: "checkpoints" };
    expect(problems({ ...base, checkpoint })).toEqual([]);
  });

  it("takes an account URL with a managed identity", () => {
    const checkpoint = {
      kind: "blob",
      accountUrl: "https://relaystore.blob.core.windows.net",
      container: "checkpoints",
      credential: { kind: "managedIdentity", clientId: "00000000-0000-0000-0000-000000000001" },
    };
    expect(problems({ ...base, checkpoint })).toEqual([]);
  });

  it.each([
    [
      "blob without a container",
      { kind: "blob", accountUrl: "https://a.blob.core.windows.net" },
      "  - checkpoint.container: required when checkpoint.kind is blob (set it in the config file or with XDR_RELAY_CHECKPOINT_CONTAINER)",
    ],
    [
      "blob without an account",
      { kind: "blob", container: "cp1" },
      "  - checkpoint.accountUrl: required when checkpoint.kind is blob (or set connectionStringEnv to a connection string's variable) (set it in the config file or with XDR_RELAY_CHECKPOINT_ACCOUNT_URL)",
    ],
    [
      "an invalid container name",
      { kind: "blob", container: "My_Checkpoints", connectionStringEnv: "CS" },
      "  - checkpoint.container: 3 to 63 lowercase letters, digits or single hyphens, e.g. xdr-relay-checkpoints (set it in the config file or with XDR_RELAY_CHECKPOINT_CONTAINER)",
    ],
    [
      "a plain-http account that is not loopback",
      { kind: "blob", container: "cp1", accountUrl: "http://relaystore.blob.core.windows.net" },
      "  - checkpoint.accountUrl: must be https:// (plain http only for a loopback emulator such as Azurite) (set it in the config file or with XDR_RELAY_CHECKPOINT_ACCOUNT_URL)",
    ],
    [
      "a connection string given in place of its variable's name",
      { kind: "blob", container: "cp1", connectionStringEnv: "DefaultEndpointsProtocol=https;AccountName=a" },
      "  - checkpoint.connectionStringEnv: the name of an environment variable (set it in the config file or with XDR_RELAY_CHECKPOINT_CONNECTION_STRING_ENV)",
    ],
    [
      "a blob setting while the kind is sqlite",
      { container: "cp1" },
      "  - checkpoint.container: only for checkpoint.kind blob (kind is sqlite; set it to blob) (set it in the config file or with XDR_RELAY_CHECKPOINT_CONTAINER)",
    ],
    [
      "a client secret without the identity's tenant",
      {
        kind: "blob",
        container: "cp1",
        accountUrl: "https://a.blob.core.windows.net",
        credential: { kind: "clientSecret", clientId: "app", clientSecretEnv: "STORAGE_SECRET" },
      },
      "  - checkpoint.tenantId: required for a clientSecret credential: the Entra tenant of the storage account's identity",
    ],
    [
      "an unknown kind",
      { kind: "cosmos" },
      '  - checkpoint.kind: Invalid option: expected one of "sqlite"|"blob" (set it in the config file or with XDR_RELAY_CHECKPOINT)',
    ],
  ])("refuses %s, naming the setting", (_, checkpoint, line) => {
    expect(problems({ ...base, checkpoint })).toEqual([line]);
  });

  it("refuses an account URL under auth none, which gets no token", () => {
    const checkpoint = { kind: "blob", container: "cp1", accountUrl: "http://127.0.0.1:10000/devstoreaccount1" };
    expect(problems({ ...base, auth: "none", hunting: { url: "http://127.0.0.1:1" }, checkpoint })).toEqual([
      "  - checkpoint.connectionStringEnv: auth none gets no token for checkpoint.accountUrl: use a connection string (Azurite) or auth azure (set it in the config file or with XDR_RELAY_CHECKPOINT_CONNECTION_STRING_ENV)",
    ]);
  });
});
