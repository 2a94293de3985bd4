import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { ConfigError, type RelayConfig } from "@xdr-relay/core";
import { credentialFromConfig } from "@xdr-relay/fetcher";

/**
 * The container client `BlobCheckpointStore` takes, from the `checkpoint` settings: a connection
 * string read from the variable the config names (Azurite, `AzureWebJobsStorage`), or the account
 * URL with a token from the configured credential (by default `DefaultAzureCredential`). The
 * identity needs "Storage Blob Data Contributor" on the container. Built here, at the composition
 * root, because `@xdr-relay/queue` takes a ready client (see the report: it could move there).
 */
export function blobContainer(
  checkpoint: RelayConfig["checkpoint"],
  env: Readonly<Record<string, string | undefined>> = process.env,
): ContainerClient {
  const container = checkpoint.container;
  if (checkpoint.kind !== "blob" || !container) throw new Error("blobContainer needs a validated blob checkpoint config");
  if (checkpoint.connectionStringEnv) {
    const connectionString = env[checkpoint.connectionStringEnv];
    if (!connectionString) {
      throw new ConfigError(
        `checkpoint.connectionStringEnv names ${checkpoint.connectionStringEnv}, but that environment variable is not set`,
      );
    }
    try {
      return BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
    } catch (error) {
      // The SDK's message may quote the string, key included: say only where it came from.
      throw new ConfigError(
        `the storage connection string in ${checkpoint.connectionStringEnv} is not valid (${(error as Error).name})`,
      );
    }
  }
  const credential = credentialFromConfig(checkpoint.tenantId ?? "", checkpoint.credential ?? { kind: "default" }, { env });
  return new BlobServiceClient(checkpoint.accountUrl ?? "", credential).getContainerClient(container);
}
