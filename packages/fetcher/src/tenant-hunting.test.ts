import type { TokenCredential } from "@azure/identity";
import { type HuntingApi, type HuntingRequest, type HuntingResult, RelayConfig } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { httpStub, jsonReply } from "./http-stub.ts";
import type { IdentityClasses } from "./tenant-credential.ts";
import { tenantHunting } from "./tenant-hunting.ts";

const empty = { schema: [], results: [] };

/** The shared Graph client stand-in: records which tenants reached it. */
class SharedGraph implements HuntingApi {
  readonly tenants: string[] = [];
  async runHuntingQuery(request: HuntingRequest): Promise<HuntingResult> {
    this.tenants.push(request.tenant);
    return empty;
  }
}

/** Every credential hands out a token naming its kind, so the request shows which one was used. */
const token = (kind: string) => (): TokenCredential => ({
  getToken: async () => ({ token: `${kind}-token`, expiresOnTimestamp: Date.now() + 3_600_000 }),
});
const classes: IdentityClasses = {
  default: token("default"),
  clientSecret: token("clientSecret"),
  certificate: token("certificate"),
  managedIdentity: token("managedIdentity"),
  workloadIdentity: token("workloadIdentity"),
};

describe("tenantHunting", () => {
  it("sends each tenant to its API with its own credential, and others to the shared Graph client", async () => {
    await using graph = await httpStub(jsonReply(200, empty), "/runHuntingQuery");
    await using legacy = await httpStub(jsonReply(200, { Schema: [], Results: [] }), "/api/advancedhunting/run");
    const config = RelayConfig.parse({
      ingestion: { endpoint: "https://dce.example", dcrId: "dcr-1" },
      hunting: { url: graph.url, legacyUrl: legacy.url },
      tenants: [
        { id: "shared.example" },
        { id: "mi.example", credential: { kind: "managedIdentity" } },
        {
          id: "old.example",
          api: "legacy",
          credential: { kind: "clientSecret", clientId: "app", clientSecretEnv: "OLD_SECRET" },
        },
      ],
    });
    const shared = new SharedGraph();
    const hunting = tenantHunting({ config, graph: shared, env: { OLD_SECRET: "s" }, classes });
    for (const tenant of ["shared.example", "mi.example", "old.example", "gone.example"]) {
      await hunting.runHuntingQuery({
        tenant,
        query: "AlertInfo",
        timespan: "2026-11-26T10:00:00.000Z/2026-11-26T10:05:00.000Z",
      });
    }
    expect(shared.tenants).toEqual(["shared.example", "gone.example"]);
    expect(graph.seen.map((r) => r.headers.authorization)).toEqual(["Bearer managedIdentity-token"]);
    expect(legacy.seen.map((r) => [r.headers.authorization, JSON.parse(r.body)])).toEqual([
      ["Bearer clientSecret-token", { Query: "AlertInfo" }],
    ]);
  });

  it("makes no client of its own when every tenant uses Graph with the default credential", () => {
    const config = RelayConfig.parse({
      ingestion: { endpoint: "https://dce.example", dcrId: "dcr-1" },
      tenants: [{ id: "a.example" }],
    });
    const shared = new SharedGraph();
    // auth none with real URLs would be refused if any client were made for them.
    expect(() => tenantHunting({ config: { ...config, auth: "none" }, graph: shared })).not.toThrow();
  });
});
