import type { TokenCredential } from "@azure/identity";
import {
  ConfigError,
  callSignal,
  type HuntingResult,
  isEntraTenantId,
  TransientError,
  TruncatedResultError,
} from "@xdr-relay/core";
import { huntingError } from "./graph-errors.ts";
import { parseHuntingResponse } from "./hunting-response.ts";
import { readHuntingBody } from "./read-hunting-body.ts";

/** What either hunting client needs to be made. */
export interface HuntingClientOptions {
  /** The endpoint's URL; `{tenant}` in it is replaced by the request's tenant (emulators). */
  readonly url: string;
  /** Token source per tenant; undefined sends no token (auth mode `none`, loopback only). */
  readonly credentialFor: ((tenant: string) => TokenCredential) | undefined;
  /** Our own deadline; the service gives up after 3 minutes. */
  readonly requestTimeoutMs: number;
  readonly now?: () => number;
}

/** One hunting call, whichever endpoint: both take a JSON body and answer alike, errors included. */
export interface HuntingPost {
  readonly url: string;
  readonly tenant: string;
  readonly body: unknown;
  /** Token source; undefined sends no token (auth mode `none`, loopback only). */
  readonly credential: TokenCredential | undefined;
  /** The token's scope: each endpoint has its own audience. */
  readonly scope: string;
  /** Our own deadline; the service gives up after 3 minutes. */
  readonly requestTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly now: () => number;
}

/** POSTs a hunting query and parses the result, with every failure mapped to the core error classes. */
export async function postHuntingQuery(post: HuntingPost): Promise<HuntingResult> {
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", accept: "application/json" });
  if (post.credential) {
    // Asked of the window's tenant by name: a credential set up for another (DefaultAzureCredential
    // reads AZURE_TENANT_ID whatever it was made with) then asks that tenant, not its own.
    const options = isEntraTenantId(post.tenant) ? { tenantId: post.tenant } : undefined;
    const token = await post.credential.getToken(post.scope, options).catch((error: unknown) => {
      // No identity, a bad secret, no consent: the deployment's to fix. Unmapped, the error would
      // dead-letter every window at its first attempt; as a ConfigError they wait for the fix.
      throw new ConfigError(`no token for tenant ${post.tenant}: ${(error as Error).message}`, { cause: error });
    });
    if (!token) throw new TransientError(`no token for tenant ${post.tenant}`);
    headers.set("authorization", `Bearer ${token.token}`);
  }
  const timeout = AbortSignal.timeout(post.requestTimeoutMs);
  using call = callSignal(timeout, post.signal);
  const { signal } = call;
  // Every step, body included, runs under the deadline: a dropped connection or the deadline can
  // strike while the body streams. Past the deadline with a body streaming, the result was too big
  // to send in time: split the window. Without any answer yet, the network or the service is down:
  // retry with backoff (splitting would only multiply calls that hang the same way).
  let answered = false;
  const guarded = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      if (timeout.aborted && answered) {
        throw new TruncatedResultError(`no full answer within ${post.requestTimeoutMs} ms`, { cause: error, timedOut: true });
      }
      if (timeout.aborted) throw new TransientError(`no answer within ${post.requestTimeoutMs} ms`, { cause: error });
      // A 200 we cannot read is most likely a cut-off body: worth another attempt.
      if (error instanceof SyntaxError) throw unreadable(error);
      throw new TransientError(`hunting request failed: ${(error as Error).message}`, { cause: error });
    }
  };
  const response = await guarded(() => fetch(post.url, { method: "POST", headers, body: JSON.stringify(post.body), signal }));
  answered = true;
  if (!response.ok) {
    const text = await guarded(() => response.text());
    throw huntingError(response.status, text, response.headers.get("retry-after"), post.now());
  }
  const body = await guarded(() => readHuntingBody(response.body));
  try {
    return parseHuntingResponse(body);
  } catch (error) {
    throw unreadable(error);
  }
}

function unreadable(error: unknown): TransientError {
  return new TransientError(`unreadable hunting response: ${(error as Error).message}`, { cause: error });
}
