import { z } from "zod";

const clientId = z.string().min(1);

/**
 * How a tenant's hunting token is obtained (`@azure/identity`). Secrets are never written in the
 * config: `clientSecretEnv` names the environment variable that holds the secret.
 */
export const TenantCredential = z.discriminatedUnion("kind", [
  /** `DefaultAzureCredential`: environment, workload identity, managed identity, Azure CLI. */
  z.object({ kind: z.literal("default") }).strict(),
  /** An app registration's client secret, read from the environment variable `clientSecretEnv`. */
  z
    .object({
      kind: z.literal("clientSecret"),
      clientId,
      clientSecretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the name of an environment variable"),
    })
    .strict(),
  /** An app registration's certificate: a PEM file holding the private key and certificate. */
  z.object({ kind: z.literal("certificate"), clientId, certificatePath: z.string().min(1) }).strict(),
  /** The host's managed identity; `clientId` picks a user-assigned one. */
  z.object({ kind: z.literal("managedIdentity"), clientId: clientId.optional() }).strict(),
  /** Workload identity federation (AKS, GitHub): the token file and ids come from the environment. */
  z.object({ kind: z.literal("workloadIdentity"), clientId: clientId.optional() }).strict(),
]);
export type TenantCredential = z.infer<typeof TenantCredential>;
