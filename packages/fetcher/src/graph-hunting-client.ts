import type { TokenCredential } from "@azure/identity";
import {
  ConfigError,
  type HuntingApi,
  type HuntingRequest,
  type HuntingResult,
  TransientError,
  TruncatedResultError,
} from "@xdr-relay/core";
import { huntingError } from "./graph-errors.ts";
import { parseHuntingResponse } from "./hunting-response.ts";

export const graphScope = "https://graph.microsoft.com/.default";

export interface GraphHuntingClientOptions {
  /** `runHuntingQuery` URL; `{tenant}` in it is replaced by the request's tenant. */
  readonly url: string;
  /** Token source per tenant; undefined sends no token (auth mode `none`, loopback only). */
  readonly credentialFor: ((tenant: string) => TokenCredential) | undefined;
  /** Our own deadline; the service gives up after 3 minutes. */
  readonly requestTimeoutMs: number;
  readonly now?: () => number;
}

/** Microsoft Graph `POST /security/runHuntingQuery`, with failures mapped to the core error classes. */
export class GraphHuntingClient implements HuntingApi {
  constructor(private readonly options: GraphHuntingClientOptions) {}

  async runHuntingQuery(request: HuntingRequest): Promise<HuntingResult> {
    const headers = new Headers({ "content-type": "application/json; charset=utf-8", accept: "application/json" });
    const credential = this.options.credentialFor?.(request.tenant);
    if (credential) {
      const token = await credential.getToken(graphScope).catch((error: unknown) => {
        // No identity, a bad secret, no consent: the deployment's to fix. Unmapped, the error would
        // dead-letter every window at its first attempt; as a ConfigError they wait for the fix.
        throw new ConfigError(`no token for tenant ${request.tenant}: ${(error as Error).message}`, { cause: error });
      });
      if (!token) throw new TransientError(`no token for tenant ${request.tenant}`);
      headers.set("authorization", `Bearer ${token.token}`);
    }
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.url.replaceAll("{tenant}", encodeURIComponent(request.tenant)), {
        method: "POST",
        headers,
        body: JSON.stringify({ Query: request.query, Timespan: request.timespan }),
        signal,
      });
      // Read inside the try: the deadline and a dropped connection can strike while the body streams.
      text = await response.text();
    } catch (error) {
      if (timeout.aborted)
        throw new TruncatedResultError(`no answer within ${this.options.requestTimeoutMs} ms`, { cause: error });
      throw new TransientError(`hunting request failed: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) {
      throw huntingError(response.status, text, response.headers.get("retry-after"), this.options.now?.() ?? Date.now());
    }
    try {
      return parseHuntingResponse(JSON.parse(text));
    } catch (error) {
      // A 200 we cannot read is most likely a cut-off body: worth another attempt.
      throw new TransientError(`unreadable hunting response: ${(error as Error).message}`, { cause: error });
    }
  }
}
