import type { TokenCredential } from "@azure/identity";
import { ConfigError, isLoopbackUrl, type TenantCredential } from "@xdr-relay/core";
import { credentialFromConfig, type IdentityClasses } from "./tenant-credential.ts";

export interface HuntingCredentialOptions {
  /** Each tenant's configured credential (`tenants[].credential`); a tenant not listed uses `default`. */
  readonly credentials?: Readonly<Record<string, TenantCredential>>;
  /** Where secrets named by `clientSecretEnv` are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly classes?: IdentityClasses;
}

/**
 * The token source for each tenant. `azure`: the tenant's configured credential (by default
 * `DefaultAzureCredential` bound to the tenant: environment, workload identity, managed identity,
 * Azure CLI, in that order). `none`: no token, refused unless the hunting URL is a loopback emulator.
 * One credential per tenant, made on first use and kept, so tokens are cached across windows.
 */
export function huntingCredentials(
  auth: "azure" | "none",
  huntingUrl: string,
  options: HuntingCredentialOptions = {},
): ((tenant: string) => TokenCredential) | undefined {
  if (auth === "none") {
    if (!isLoopbackUrl(huntingUrl)) {
      throw new ConfigError(`auth "none" is only for loopback emulators, but hunting.url is ${huntingUrl}; use auth "azure"`);
    }
    return undefined;
  }
  const cache = new Map<string, TokenCredential>();
  return (tenant) => {
    let credential = cache.get(tenant);
    if (!credential) {
      credential = credentialFromConfig(tenant, options.credentials?.[tenant] ?? { kind: "default" }, options);
      cache.set(tenant, credential);
    }
    return credential;
  };
}
