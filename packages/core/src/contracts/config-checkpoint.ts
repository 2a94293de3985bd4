import { z } from "zod";
import { isPlainHttpOffLoopback } from "../logic/loopback.ts";
import { TenantCredential } from "./tenant-credential.ts";

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the name of an environment variable");

/** Azure's container naming rules, checked here so a typo fails at start-up, not on the first tick. */
const containerName = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/,
    "3 to 63 lowercase letters, digits or single hyphens, e.g. xdr-relay-checkpoints",
  );

/**
 * Where the scheduler's checkpoints (and backfill progress) live. `sqlite`: a file in `dataDir`,
 * enough for one machine. `blob`: Azure Blob Storage with ETag compare-and-swap, for schedulers that
 * run as several instances (Functions, containers). Flat rather than a union on `kind` so that each
 * missing or misplaced setting gets its own error naming it and its variable.
 */
export const CheckpointConfig = z
  .object({
    kind: z.enum(["sqlite", "blob"]).default("sqlite"),
    /** `https://<account>.blob.core.windows.net`; the token comes from `credential`. */
    accountUrl: z.url({ message: "must be a URL such as https://<account>.blob.core.windows.net" }).optional(),
    /** The container; the deployment creates it (a missing one is an error, not "no checkpoint yet"). */
    container: containerName.optional(),
    /**
     * Instead of `accountUrl`: the name of the environment variable holding a storage connection
     * string (e.g. `AzureWebJobsStorage`, or Azurite's). The secret itself is never in the config.
     */
    connectionStringEnv: envName.optional(),
    /** How the token for `accountUrl` is obtained, as for tenants; default `DefaultAzureCredential`. */
    credential: TenantCredential.optional(),
    /** The Entra tenant the storage account's identity lives in; needed by `clientSecret`, `certificate`, `workloadIdentity`. */
    tenantId: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (c.kind === "sqlite") {
      for (const key of ["accountUrl", "container", "connectionStringEnv", "credential", "tenantId"] as const) {
        if (c[key] !== undefined) issue(key, `only for checkpoint.kind blob (kind is sqlite; set it to blob)`);
      }
      return;
    }
    if (!c.container) issue("container", "required when checkpoint.kind is blob");
    if (c.accountUrl && c.connectionStringEnv) issue("connectionStringEnv", "give accountUrl or connectionStringEnv, not both");
    if (!c.accountUrl && !c.connectionStringEnv) {
      issue("accountUrl", "required when checkpoint.kind is blob (or set connectionStringEnv to a connection string's variable)");
    }
    if (c.accountUrl && isPlainHttpOffLoopback(c.accountUrl)) {
      issue("accountUrl", "must be https:// (plain http only for a loopback emulator such as Azurite)");
    }
    if (c.connectionStringEnv && c.credential)
      issue("credential", "not used with connectionStringEnv (the connection string holds the key)");
    const kind = c.credential?.kind;
    if ((kind === "clientSecret" || kind === "certificate" || kind === "workloadIdentity") && !c.tenantId) {
      issue("tenantId", `required for a ${kind} credential: the Entra tenant of the storage account's identity`);
    }
  });
export type CheckpointConfig = z.infer<typeof CheckpointConfig>;
