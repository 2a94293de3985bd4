import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { ConfigError, isLoopbackUrl } from "@xdr-relay/core";

/**
 * The token source for each tenant. `azure`: `DefaultAzureCredential` bound to the tenant
 * (environment, workload identity, managed identity, Azure CLI, in that order). `none`: no token,
 * refused unless the hunting URL is a loopback emulator.
 */
export function huntingCredentials(
  auth: "azure" | "none",
  huntingUrl: string,
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
      credential = new DefaultAzureCredential(/^[0-9a-f-]{36}$/i.test(tenant) ? { tenantId: tenant } : {});
      cache.set(tenant, credential);
    }
    return credential;
  };
}
