import type { HuntingApi, HuntingRequest, HuntingResult } from "@xdr-relay/core";
import { type HuntingClientOptions, postHuntingQuery } from "./hunting-post.ts";

/**
 * A hunting endpoint over HTTP. The Graph and legacy endpoints differ only in their token's scope
 * and their request body; calls, errors and answers are handled alike (`postHuntingQuery`).
 */
export abstract class HuntingHttpClient implements HuntingApi {
  protected abstract readonly scope: string;
  protected abstract bodyOf(request: HuntingRequest): unknown;

  constructor(private readonly options: HuntingClientOptions) {}

  async runHuntingQuery(request: HuntingRequest): Promise<HuntingResult> {
    const { url, credentialFor, requestTimeoutMs, now } = this.options;
    return postHuntingQuery({
      url: url.replaceAll("{tenant}", encodeURIComponent(request.tenant)),
      tenant: request.tenant,
      body: this.bodyOf(request),
      credential: credentialFor?.(request.tenant),
      scope: this.scope,
      requestTimeoutMs,
      signal: request.signal,
      now: now ?? Date.now,
    });
  }
}
