import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import type { TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { GraphHuntingClient, graphScope } from "./graph-hunting-client.ts";
import { httpStub, jsonReply as json } from "./http-stub.ts";

/** A loopback stand-in for Graph: `reply` answers each request; every request is recorded. */
const graphStub = (reply: (res: ServerResponse) => void) => httpStub(reply, "/tenants/{tenant}/runHuntingQuery");

const okBody = { schema: [{ name: "AlertId", type: "String" }], results: [{ AlertId: "da1" }] };
const request = { tenant: "contoso", query: "AlertInfo | take 1", timespan: "2026-11-26T10:00:00.000Z/2026-11-26T10:05:00.000Z" };

function client(url: string, options: { credentialFor?: (tenant: string) => TokenCredential; requestTimeoutMs?: number } = {}) {
  return new GraphHuntingClient({
    url,
    credentialFor: options.credentialFor,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
  });
}

describe("GraphHuntingClient", () => {
  it("POSTs {Query, Timespan} as UTF-8 JSON to the tenant's URL, with no token in auth mode none", async () => {
    await using graph = await graphStub(json(200, okBody));
    expect(await client(graph.url).runHuntingQuery(request)).toEqual(okBody);
    const [seen] = graph.seen;
    expect([seen?.method, seen?.url, seen?.headers["content-type"]]).toEqual([
      "POST",
      "/tenants/contoso/runHuntingQuery",
      "application/json; charset=utf-8",
    ]);
    expect(JSON.parse(seen?.body ?? "")).toEqual({ Query: request.query, Timespan: request.timespan });
    expect(seen?.headers.authorization).toBeUndefined();
  });

  it("is aborted by the stop signal while the service has not answered, and leaves no listener on it", async () => {
    await using graph = await graphStub(() => undefined); // never answers
    const stop = new AbortController();
    const calling = client(graph.url, { requestTimeoutMs: 60_000 }).runHuntingQuery({ ...request, signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(calling).rejects.toThrow(/aborted/);

    const done = new AbortController();
    await using answering = await graphStub(json(200, okBody));
    await client(answering.url).runHuntingQuery({ ...request, signal: done.signal });
    // The stop signal lives as long as the process: a listener left per call would pile up.
    expect(getEventListeners(done.signal, "abort")).toHaveLength(0);
  });

  it("reads a large result streamed in many small writes, rows in order", async () => {
    const results = Array.from({ length: 20_000 }, (_, i) => ({ AlertId: `da${i}`, Title: "ünïcödé ],{ 😀".repeat(4) }));
    const body = Buffer.from(JSON.stringify({ schema: okBody.schema, results }));
    await using graph = await graphStub((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      for (let at = 0; at < body.length; at += 1_000) res.write(body.subarray(at, at + 1_000));
      res.end();
    });
    expect(await client(graph.url).runHuntingQuery(request)).toEqual({ schema: okBody.schema, results });
  });

  it("sends a bearer token from the tenant's credential, for the Graph scope", async () => {
    await using graph = await graphStub(json(200, okBody));
    const asked: unknown[] = [];
    const credentialFor = (tenant: string): TokenCredential => ({
      getToken: async (scopes) => {
        asked.push([tenant, scopes]);
        return { token: `token-of-${tenant}`, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    await client(graph.url, { credentialFor }).runHuntingQuery(request);
    expect(graph.seen[0]?.headers.authorization).toBe("Bearer token-of-contoso");
    expect(asked).toEqual([["contoso", graphScope]]);
  });

  it("asks the token of the window's tenant by name, so a credential made for another tenant asks that one", async () => {
    await using graph = await graphStub(json(200, okBody));
    const tenant = "0f9e8d7c-6b5a-4321-8765-43210fedcba9";
    const asked: unknown[] = [];
    const credentialFor = (): TokenCredential => ({
      getToken: async (_scopes, options) => {
        asked.push(options?.tenantId);
        return { token: "t", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    });
    await client(graph.url, { credentialFor }).runHuntingQuery({ ...request, tenant });
    expect(asked).toEqual([tenant]);
  });

  it("turns a credential that cannot sign in into a ConfigError, so windows wait instead of being dead-lettered", async () => {
    await using graph = await graphStub(json(200, okBody));
    const credentialFor = (): TokenCredential => ({
      getToken: async () => {
        throw Object.assign(new Error("ManagedIdentityCredential: no managed identity endpoint found"), {
          name: "CredentialUnavailableError",
        });
      },
    });
    await expect(client(graph.url, { credentialFor }).runHuntingQuery(request)).rejects.toMatchObject({
      name: "ConfigError",
      message: expect.stringContaining("no managed identity endpoint"),
    });
    expect(graph.seen).toEqual([]);
  });

  it("reads Retry-After off a 429", async () => {
    await using graph = await graphStub(
      json(429, { error: { code: "TooManyRequests", message: "slow down" } }, { "retry-after": "17" }),
    );
    await expect(client(graph.url).runHuntingQuery(request)).rejects.toMatchObject({
      name: "ThrottledError",
      retryAfterMs: 17_000,
      status: 429,
    });
  });

  it.each([
    // Nothing came back: the network or the service is down; splitting would only multiply calls.
    ["no answer at all", () => undefined, "TransientError"],
    [
      // A result streaming slower than the deadline was too big to send in time: split the window.
      "headers, then a body that stalls",
      (res: ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"schema":[');
      },
      "TruncatedResultError",
    ],
  ])("gives up after requestTimeoutMs with %s as a %s", async (_, reply, name) => {
    await using graph = await graphStub(reply);
    await expect(client(graph.url, { requestTimeoutMs: 400 }).runHuntingQuery(request)).rejects.toMatchObject({ name });
  });

  it.each([
    ["a dropped connection", (res: ServerResponse) => res.socket?.destroy()],
    [
      "a connection dropped mid-body",
      (res: ServerResponse) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"schema":[', () => res.socket?.destroy());
      },
    ],
    ["a 200 that is not JSON", json(200, "<html>proxy login</html>")],
    ["a 200 that is not a hunting result", json(200, { value: [] })],
  ])("reports %s as a TransientError (worth another attempt)", async (_, reply) => {
    await using graph = await graphStub(reply);
    await expect(client(graph.url).runHuntingQuery(request)).rejects.toMatchObject({ name: "TransientError" });
  });
});
