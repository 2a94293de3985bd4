import type { HuntingApi, HuntingRequest, HuntingResult, RelayConfig, TenantCredential } from "@xdr-relay/core";
import { huntingCredentials } from "./credentials.ts";
import { GraphHuntingClient } from "./graph-hunting-client.ts";
import { LegacyHuntingClient } from "./legacy-hunting-client.ts";
import type { IdentityClasses } from "./tenant-credential.ts";

/** Sends each tenant's calls to the client for its API; a tenant not listed uses `fallback`. */
export class TenantHunting implements HuntingApi {
  constructor(
    private readonly byTenant: ReadonlyMap<string, HuntingApi>,
    private readonly fallback: HuntingApi,
  ) {}

  runHuntingQuery(request: HuntingRequest): Promise<HuntingResult> {
    return (this.byTenant.get(request.tenant) ?? this.fallback).runHuntingQuery(request);
  }
}

export interface TenantHuntingOptions {
  readonly config: Pick<RelayConfig, "auth" | "hunting" | "tenants">;
  /**
   * The shared Graph client with default credentials: tenants that ask for nothing else use it, and
   * so does a window of a tenant no longer configured (e.g. replayed from the dead-letter queue).
   */
  readonly graph: HuntingApi;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly classes?: IdentityClasses;
}

/**
 * The hunting API for every configured tenant: Graph or the retiring legacy endpoint (`api`), each
 * with the tenant's own credential. Clients are made only for what some tenant uses, so `auth: none`
 * against a loopback Graph emulator does not trip over the legacy URL nobody uses.
 */
export function tenantHunting(options: TenantHuntingOptions): HuntingApi {
  const { auth, hunting, tenants } = options.config;
  const credentials: Record<string, TenantCredential> = Object.fromEntries(tenants.map((t) => [t.id, t.credential]));
  const own = { credentials, env: options.env, classes: options.classes };
  const needsOwnGraph = tenants.some((t) => t.api === "graph" && t.credential.kind !== "default");
  const graph = needsOwnGraph
    ? new GraphHuntingClient({
        url: hunting.url,
        credentialFor: huntingCredentials(auth, hunting.url, own),
        requestTimeoutMs: hunting.requestTimeoutMs,
      })
    : options.graph;
  const legacy = tenants.some((t) => t.api === "legacy")
    ? new LegacyHuntingClient({
        url: hunting.legacyUrl,
        credentialFor: huntingCredentials(auth, hunting.legacyUrl, own),
        requestTimeoutMs: hunting.requestTimeoutMs,
      })
    : undefined;
  const byTenant = new Map<string, HuntingApi>();
  for (const t of tenants) {
    if (t.api === "legacy" && legacy) byTenant.set(t.id, legacy);
    else if (t.credential.kind !== "default") byTenant.set(t.id, graph);
  }
  return new TenantHunting(byTenant, options.graph);
}
