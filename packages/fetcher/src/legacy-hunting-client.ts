import type { HuntingRequest } from "@xdr-relay/core";
import { HuntingHttpClient } from "./hunting-http-client.ts";

export const legacyScope = "https://api.security.microsoft.com/.default";

/**
 * Defender XDR's own `POST /api/advancedhunting/run` (permission `AdvancedHunting.Read.All`), a
 * fallback for tenants that cannot use Graph yet. RETIRING: retirement began January 2026 (notice
 * MC1220762); move tenants to `api: "graph"`. Its `Schema`/`Results` answer and its error bodies
 * read like Graph's.
 */
export class LegacyHuntingClient extends HuntingHttpClient {
  protected readonly scope = legacyScope;

  protected bodyOf(request: HuntingRequest): unknown {
    // No `Timespan` here: the window's `where` clause, already in the query, is what bounds it.
    return { Query: request.query };
  }
}
