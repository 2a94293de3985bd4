import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { LogsIngestionClient } from "@azure/monitor-ingestion";
import { ConfigError, isLoopbackUrl } from "@xdr-relay/core";
import { fastGzipPolicy, sdkGzipPolicyName } from "./gzip-policy.ts";
import { transientRetryPolicy } from "./transient-retry.ts";

/** A credential that is never asked for a token: the bearer policy is removed in `none` mode. */
const noCredential: TokenCredential = { getToken: async () => null };

export interface IngestionClientOptions {
  readonly endpoint: string;
  readonly auth: "azure" | "none";
  readonly credential?: TokenCredential;
  /** Core-rest-pipeline retries (408, 5xx without Retry-After, network errors); ours come after these. */
  readonly maxRetries?: number;
}

/**
 * The real `@azure/monitor-ingestion` client. Auth mode `none` (for the loopback emulator) drops
 * the bearer-token policy, which would otherwise refuse `http://`; it is refused for any other host
 * so a misconfiguration can never send rows unauthenticated to a real endpoint.
 */
export function createIngestionClient(options: IngestionClientOptions): LogsIngestionClient {
  const retryOptions = { maxRetries: options.maxRetries ?? 3 };
  if (options.auth === "azure") {
    const credential = markingTokenFailures(options.credential ?? new DefaultAzureCredential());
    return withOurPolicies(new LogsIngestionClient(options.endpoint, credential, { retryOptions }), retryOptions);
  }
  if (!isLoopbackUrl(options.endpoint)) {
    throw new ConfigError(
      `auth "none" is only for loopback emulators, but ingestion.endpoint is ${options.endpoint}; use auth "azure"`,
    );
  }
  const client = new LogsIngestionClient(options.endpoint, noCredential, { allowInsecureConnection: true, retryOptions });
  client.pipeline.removePolicy({ name: "bearerTokenAuthenticationPolicy" });
  return withOurPolicies(client, retryOptions);
}

/**
 * The sink's identity got no token: a fault of its credential (a wrong or expired secret, a
 * missing managed identity, Entra ID unreachable), not an answer of the Logs Ingestion API.
 */
export class TokenUnavailableError extends Error {
  override readonly name = "TokenUnavailableError";
}

/**
 * The credential, its failures marked as `TokenUnavailableError`. Unmarked, they reach the upload's
 * caller as they are, and some look like the service's answers: `DefaultAzureCredential` re-throws
 * a failed client secret as an `AuthenticationError` with status 400, which the sink would take
 * for rejected rows and bisect, dead-lettering the backlog `IngestionRejected`.
 */
function markingTokenFailures(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes, options) {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        throw new TokenUnavailableError(`no token for the sink's identity: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

/**
 * Swaps two of the SDK's policies for ours:
 * - its gzip (level 6) for level 1, in the same place in the pipeline (see `fastGzipPolicy`);
 * - its default retries for `transientRetryPolicy`: the default also sleeps out any `Retry-After`
 *   of a 429 or 503, with no cap, inside the upload's timeout. A long one made the timeout abort
 *   the call, so a throttled batch read as a network error and spent an attempt. Throttling is
 *   the sink's to handle (the row waits on the queue, spending no attempt), and a 503's
 *   `Retry-After` is the least its retry waits. Network errors (a reset or refused connection)
 *   are still retried here, or a blip of a few seconds at the collection endpoint spent an
 *   attempt of every batch in flight, and the last attempt of some.
 */
function withOurPolicies(client: LogsIngestionClient, retryOptions: { maxRetries: number }): LogsIngestionClient {
  client.pipeline.removePolicy({ name: sdkGzipPolicyName });
  client.pipeline.addPolicy(fastGzipPolicy);
  client.pipeline.removePolicy({ name: sdkRetryPolicyName });
  client.pipeline.addPolicy(transientRetryPolicy(retryOptions), { phase: "Retry" });
  return client;
}

/** The SDK's default retry policy, by the name core-rest-pipeline gives it. */
const sdkRetryPolicyName = "defaultRetryPolicy";
