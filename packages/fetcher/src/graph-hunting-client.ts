import type { HuntingRequest } from "@xdr-relay/core";
import { HuntingHttpClient } from "./hunting-http-client.ts";
import type { HuntingClientOptions } from "./hunting-post.ts";

export const graphScope = "https://graph.microsoft.com/.default";

export type GraphHuntingClientOptions = HuntingClientOptions;

/** Microsoft Graph `POST /security/runHuntingQuery`, with failures mapped to the core error classes. */
export class GraphHuntingClient extends HuntingHttpClient {
  protected readonly scope = graphScope;

  protected bodyOf(request: HuntingRequest): unknown {
    // `Timespan` bounds the scan to the window; the query's `where` clause makes it exact.
    return { Query: request.query, Timespan: request.timespan };
  }
}
