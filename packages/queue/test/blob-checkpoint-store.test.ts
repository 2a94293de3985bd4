import { randomUUID } from "node:crypto";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BlobCheckpointStore } from "../src/index.ts";
import { type Azurite, startAzurite } from "./azurite.ts";
import { describeCheckpointStoreConformance } from "./checkpoint-conformance.ts";

describe("BlobCheckpointStore (Azurite)", () => {
  let azurite: Azurite | undefined;
  let service: BlobServiceClient;
  let container: ContainerClient;

  beforeAll(async () => {
    azurite = await startAzurite();
    service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  });
  afterAll(async () => {
    await azurite?.[Symbol.asyncDispose]();
  });
  // A fresh container per test: the suite's keys repeat from test to test.
  beforeEach(async () => {
    container = service.getContainerClient(`checkpoints-${randomUUID()}`);
    await container.create();
  });

  // Each "connection" is its own client, as two scheduler instances would have.
  describeCheckpointStoreConformance("BlobCheckpointStore", async () => {
    const own = BlobServiceClient.fromConnectionString(azurite?.connectionString ?? "");
    return new BlobCheckpointStore(own.getContainerClient(container.containerName));
  });

  it("fails loudly when the container is missing instead of reporting no checkpoint", async () => {
    const store = new BlobCheckpointStore(service.getContainerClient("no-such-container"));
    await expect(store.read("k")).rejects.toThrow();
    await expect(store.write("k", "v", undefined)).rejects.toThrow();
  });
});
