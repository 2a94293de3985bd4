import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import type { TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { createIngestionClient } from "./ingestion-client.ts";
import { uploadBatch } from "./upload-batch.ts";

const policyNames = (client: ReturnType<typeof createIngestionClient>) => client.pipeline.getOrderedPolicies().map((p) => p.name);

/** A loopback Logs Ingestion endpoint that answers 204 and keeps each request's path, headers and rows. */
async function ingestionStub(
  answer: (call: number) => { status: number; headers?: Record<string, string> } | "reset" = () => ({ status: 204 }),
) {
  const requests: { path: string; apiVersion: string | null; headers: IncomingHttpHeaders; rows: unknown; raw: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw).toString() : raw.toString();
      const url = new URL(req.url ?? "", "http://stub");
      requests.push({
        path: url.pathname,
        apiVersion: url.searchParams.get("api-version"),
        headers: req.headers,
        rows: JSON.parse(text),
        raw,
      });
      const answered = answer(requests.length);
      if (answered === "reset") {
        req.socket.destroy();
        return;
      }
      const { status, headers } = answered;
      res
        .writeHead(status, headers)
        .end(status === 204 ? undefined : JSON.stringify({ error: { code: "x", message: `answered ${status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("createIngestionClient", () => {
  it("refuses auth none for a real endpoint, so rows never go out unauthenticated", () => {
    expect(() => createIngestionClient({ auth: "none", endpoint: "https://example.com" })).toThrow(
      expect.objectContaining({ name: "ConfigError", message: expect.stringContaining("https://example.com") }),
    );
  });

  it("authenticates with a bearer token in auth mode azure", () => {
    const credential: TokenCredential = { getToken: async () => null };
    const client = createIngestionClient({
      auth: "azure",
      endpoint: "https://dce.westeurope-1.ingest.monitor.azure.com",
      credential,
    });
    expect(policyNames(client)).toContain("bearerTokenAuthenticationPolicy");
  });

  it("uploads to a loopback endpoint over http in auth mode none, without a token", async () => {
    await using stub = await ingestionStub();
    const client = createIngestionClient({ auth: "none", endpoint: stub.endpoint });
    expect(policyNames(client)).not.toContain("bearerTokenAuthenticationPolicy");

    await client.upload("dcr-1", "Custom-XdrAlertInfo", [{ RowId: "r1", AlertId: "da1" }]);

    expect(stub.requests).toEqual([
      {
        path: "/dataCollectionRules/dcr-1/streams/Custom-XdrAlertInfo",
        apiVersion: "2023-01-01",
        headers: expect.not.objectContaining({ authorization: expect.anything() }),
        rows: [{ RowId: "r1", AlertId: "da1" }],
        raw: expect.any(Buffer),
      },
    ]);
  });

  it("gzips each call once, at level 1 (a fraction of the CPU of the SDK's level 6)", async () => {
    await using stub = await ingestionStub();
    const client = createIngestionClient({ auth: "none", endpoint: stub.endpoint });
    expect(policyNames(client)).not.toContain("GzippingPolicy");
    const rows = Array.from({ length: 200 }, (_, i) => ({ RowId: `r${i}`, AlertId: `da${i}`, Note: "x".repeat(100) }));

    await client.upload("dcr-1", "Custom-XdrAlertInfo", rows);

    const [request] = stub.requests;
    expect(request?.headers["content-encoding"]).toBe("gzip");
    expect(request?.rows).toEqual(rows);
    // The gzip header's XFL byte is 4 when zlib compressed at its fastest level (RFC 1952).
    expect(request?.raw[8]).toBe(4);
  });

  it.each([
    [429, "30"],
    [503, "20"],
  ])(
    "leaves a %i with Retry-After %s s to the sink: one call, its status and wait reported, not slept out",
    async (status, retryAfter) => {
      await using stub = await ingestionStub(() => ({ status, headers: { "retry-after": retryAfter } }));
      const client = createIngestionClient({ auth: "none", endpoint: stub.endpoint });

      // The SDK's default policy slept 30 s here, past the upload's timeout, and the 429 read as a network error.
      const failure = await uploadBatch({ client, dcrId: "dcr-1", uploadTimeoutMs: 2_000 }, "Custom-XdrAlertInfo", [
        { RowId: "r1" },
      ]);

      expect(failure).toMatchObject({ status, retryAfter });
      expect(stub.requests).toHaveLength(1);
    },
  );

  it("still retries a 503 without Retry-After itself (core-rest-pipeline's exponential retries)", async () => {
    await using stub = await ingestionStub((call) => (call === 1 ? { status: 503 } : { status: 204 }));
    const client = createIngestionClient({ auth: "none", endpoint: stub.endpoint });

    const failure = await uploadBatch({ client, dcrId: "dcr-1", uploadTimeoutMs: 10_000 }, "Custom-XdrAlertInfo", [
      { RowId: "r1" },
    ]);

    expect(failure).toBeUndefined();
    expect(stub.requests).toHaveLength(2);
  });

  it("retries a connection reset itself, as the SDK's default did, instead of failing the batch", async () => {
    await using stub = await ingestionStub((call) => (call === 1 ? "reset" : { status: 204 }));
    const client = createIngestionClient({ auth: "none", endpoint: stub.endpoint });

    const failure = await uploadBatch({ client, dcrId: "dcr-1", uploadTimeoutMs: 10_000 }, "Custom-XdrAlertInfo", [
      { RowId: "r1" },
    ]);

    expect(failure).toBeUndefined();
    expect(stub.requests).toHaveLength(2);
  });

  it("gives resets and 503s one retry budget together: maxRetries + 1 sends at most, however they alternate", async () => {
    // Two chained policies, one per kind, each with its own budget, made 4 sends here (16 with the default 3).
    await using stub = await ingestionStub((call) => (call % 2 === 1 ? "reset" : { status: 503 }));
    const client = createIngestionClient({ auth: "none", endpoint: stub.endpoint, maxRetries: 1 });

    const failure = await uploadBatch({ client, dcrId: "dcr-1", uploadTimeoutMs: 10_000 }, "Custom-XdrAlertInfo", [
      { RowId: "r1" },
    ]);

    expect(failure).toMatchObject({ status: 503 });
    expect(stub.requests).toHaveLength(2);
  });
});
