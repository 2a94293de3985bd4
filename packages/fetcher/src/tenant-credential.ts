import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { ConfigError, isConfigError, isEntraTenantId, type TenantCredential } from "@xdr-relay/core";

/** The `@azure/identity` constructors a tenant credential maps to; tests pass recording fakes. */
export interface IdentityClasses {
  readonly default: (options: { tenantId?: string; additionallyAllowedTenants?: string[] }) => TokenCredential;
  readonly clientSecret: (tenantId: string, clientId: string, secret: string) => TokenCredential;
  readonly certificate: (tenantId: string, clientId: string, certificatePath: string) => TokenCredential;
  readonly managedIdentity: (options: { clientId?: string }) => TokenCredential;
  readonly workloadIdentity: (options: { tenantId: string; clientId?: string }) => TokenCredential;
}

export const azureIdentityClasses: IdentityClasses = {
  default: (options) => new DefaultAzureCredential(options),
  clientSecret: (tenantId, clientId, secret) => new ClientSecretCredential(tenantId, clientId, secret),
  certificate: (tenantId, clientId, certificatePath) => new ClientCertificateCredential(tenantId, clientId, { certificatePath }),
  managedIdentity: (options) => new ManagedIdentityCredential(options),
  workloadIdentity: (options) => new WorkloadIdentityCredential(options),
};

/**
 * The token source for one tenant, as its config says. The tenant id goes to every credential
 * that takes one, so tokens are issued by that tenant (a multi-tenant app reads each customer's
 * data with its own consent). A managed identity has no such choice: it only gets tokens in its own
 * tenant, so it suits a deployment in the customer's tenant. Secrets come from the environment.
 */
export function credentialFromConfig(
  tenant: string,
  credential: TenantCredential,
  options: { env?: Readonly<Record<string, string | undefined>>; classes?: IdentityClasses } = {},
): TokenCredential {
  try {
    return makeCredential(tenant, credential, options.env ?? process.env, options.classes ?? azureIdentityClasses);
  } catch (error) {
    // A credential that cannot even be made is the deployment's to fix: windows wait, not dead-letter.
    if (isConfigError(error)) throw error;
    throw new ConfigError(`tenant ${tenant}: cannot make its ${credential.kind} credential: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function makeCredential(
  tenant: string,
  credential: TenantCredential,
  env: Readonly<Record<string, string | undefined>>,
  classes: IdentityClasses,
): TokenCredential {
  switch (credential.kind) {
    case "default":
      // An emulated tenant's short name is no Entra tenant (the config refuses one with auth azure).
      // The environment's credential is made for AZURE_TENANT_ID whatever `tenantId` says: each
      // token is asked of the window's tenant (`postHuntingQuery`), which it must be allowed to ask.
      return classes.default(isEntraTenantId(tenant) ? { tenantId: tenant, additionallyAllowedTenants: [tenant] } : {});
    case "clientSecret": {
      const secret = env[credential.clientSecretEnv];
      if (!secret) {
        throw new ConfigError(
          `tenant ${tenant}: environment variable ${credential.clientSecretEnv} (its client secret) is not set`,
        );
      }
      return classes.clientSecret(tenant, credential.clientId, secret);
    }
    case "certificate":
      return classes.certificate(tenant, credential.clientId, credential.certificatePath);
    case "managedIdentity":
      return classes.managedIdentity(credential.clientId === undefined ? {} : { clientId: credential.clientId });
    case "workloadIdentity": {
      // AKS's webhook injects AZURE_CLIENT_ID; said here so a missing one names the variable.
      const clientId = credential.clientId ?? env["AZURE_CLIENT_ID"];
      if (!clientId) throw new ConfigError(`tenant ${tenant}: workload identity needs credential.clientId or AZURE_CLIENT_ID`);
      return classes.workloadIdentity({ tenantId: tenant, clientId });
    }
  }
}
