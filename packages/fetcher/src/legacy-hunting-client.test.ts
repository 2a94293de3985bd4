import type { TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { httpStub, jsonReply } from "./http-stub.ts";
import { LegacyHuntingClient, legacyScope } from "./legacy-hunting-client.ts";

const windowed =
  "AlertInfo\n| where Timestamp >= datetime(2026-11-26T10:00:00.000Z) and Timestamp < datetime(2026-11-26T10:05:00.000Z)";
const request = { tenant: "contoso", query: windowed, timespan: "2026-11-26T10:00:00.000Z/2026-11-26T10:05:00.000Z" };
const legacyBody = {
  Stats: { ExecutionTime: 0.2 },
  Schema: [
    { Name: "Timestamp", Type: "DateTime" },
    { Name: "AlertId", Type: "String" },
  ],
  Results: [{ Timestamp: "2026-11-26T10:01:00Z", AlertId: "da1" }],
};

const credentialFor =
  (asked: unknown[]) =>
  (tenant: string): TokenCredential => ({
    getToken: async (scopes) => {
      asked.push([tenant, scopes]);
      return { token: `token-of-${tenant}`, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  });

describe("LegacyHuntingClient", () => {
  it("POSTs {Query} alone (the window's where clause bounds it) with a token for the Defender API, and reads Schema/Results", async () => {
    await using legacy = await httpStub(jsonReply(200, legacyBody), "/api/advancedhunting/run");
    const asked: unknown[] = [];
    const client = new LegacyHuntingClient({ url: legacy.url, credentialFor: credentialFor(asked), requestTimeoutMs: 5_000 });
    expect(await client.runHuntingQuery(request)).toEqual({
      schema: [
        { name: "Timestamp", type: "DateTime" },
        { name: "AlertId", type: "String" },
      ],
      results: legacyBody.Results,
    });
    const [seen] = legacy.seen;
    expect([seen?.method, seen?.url, seen?.headers.authorization]).toEqual([
      "POST",
      "/api/advancedhunting/run",
      "Bearer token-of-contoso",
    ]);
    expect(JSON.parse(seen?.body ?? "")).toEqual({ Query: windowed });
    expect(asked).toEqual([["contoso", legacyScope]]);
  });

  it("maps its errors as Graph's: a 429 on the CPU quota is throttling with Retry-After", async () => {
    const body = { error: { code: "TooManyRequests", message: "CPU quota exceeded" } };
    await using legacy = await httpStub(jsonReply(429, body, { "retry-after": "60" }), "/api/advancedhunting/run");
    const client = new LegacyHuntingClient({ url: legacy.url, credentialFor: undefined, requestTimeoutMs: 5_000 });
    await expect(client.runHuntingQuery(request)).rejects.toMatchObject({
      name: "ThrottledError",
      retryAfterMs: 60_000,
      message: expect.stringMatching(/^CPU quota/),
    });
  });
});
