import type { ContainerClient } from "@azure/storage-blob";
import type { CheckpointStore, Versioned } from "@xdr-relay/core";
import { isConditionFailed, isNotFound } from "./storage-errors.ts";

/**
 * `CheckpointStore` on Azure Blob Storage, one small blob per key, for schedulers that run as
 * several instances (Functions scale-out, containers). Compare-and-swap on the blob's ETag, which
 * the service checks atomically: create with `If-None-Match: *`, update with `If-Match`; losing
 * either way resolves undefined and the scheduler re-reads. The container must exist (the
 * deployment creates it): a missing one fails loudly rather than looking like "no checkpoint yet"
 * on every tick.
 */
export class BlobCheckpointStore implements CheckpointStore {
  constructor(private readonly container: ContainerClient) {}

  async read(key: string): Promise<Versioned | undefined> {
    try {
      // One GET gives the content and the ETag of that same content (a separate properties call
      // could pair a new ETag with old content).
      const response = await this.container.getBlockBlobClient(key).download();
      const body = response.readableStreamBody;
      if (!response.etag || !body) throw new Error(`checkpoint blob ${key} came back without an ETag or a body`);
      return { value: await readText(body), etag: response.etag };
    } catch (error) {
      if (isNotFound(error) && (await this.container.exists())) return undefined;
      throw error;
    }
  }

  async write(key: string, value: string, expectedEtag: string | undefined): Promise<string | undefined> {
    const conditions = expectedEtag === undefined ? { ifNoneMatch: "*" } : { ifMatch: expectedEtag };
    try {
      const response = await this.container.getBlockBlobClient(key).upload(value, Buffer.byteLength(value), {
        conditions,
        blobHTTPHeaders: { blobContentType: "text/plain; charset=utf-8" },
      });
      if (!response.etag) throw new Error(`checkpoint blob ${key} was written but the service returned no ETag`);
      return response.etag;
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }
}

async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
