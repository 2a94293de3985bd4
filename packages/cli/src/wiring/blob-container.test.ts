import { isConfigError, RelayConfig } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { blobContainer } from "./blob-container.ts";

const checkpointOf = (checkpoint: unknown) =>
  RelayConfig.parse({
    ingestion: { endpoint: "https://dce.example", dcrId: "d" },
    tenants: [{ id: "t.example.com" }],
    checkpoint,
  }).checkpoint;

describe("blobContainer", () => {
  it("addresses the container under the account URL", () => {
    const c = checkpointOf({ kind: "blob", accountUrl: "https://relaystore.blob.core.windows.net", container: "cp1" });
    expect(blobContainer(c, {}).url).toBe("https://relaystore.blob.core.windows.net/cp1");
  });

  it("names the secret's variable when a client secret credential has none", () => {
    const c = checkpointOf({
      kind: "blob",
      accountUrl: "https://relaystore.blob.core.windows.net",
      container: "cp1",
      tenantId: "00000000-0000-0000-0000-000000000001",
      credential: { kind: "clientSecret", clientId: "app", clientSecretEnv: "STORAGE_SECRET" },
    });
    const call = () => blobContainer(c, {});
    expect(call).toThrow(/STORAGE_SECRET/);
    expect(isConfigError(catchError(call))).toBe(true);
  });

  it("says a connection string is invalid without echoing it (it holds the account key)", () => {
    const c = checkpointOf({ kind: "blob", container: "cp1", connectionStringEnv: "CS" });
    const error = catchError(() => blobContainer(c, { CS: "AccountKey=s3cret;nonsense" }));
    expect(isConfigError(error)).toBe(true);
    expect(String(error)).toContain("the storage connection string in CS is not valid");
    expect(String(error)).not.toContain("s3cret");
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
