import type { z } from "zod";
import { closestName, suggestKey } from "./config-suggest.ts";

/** Environment variables and the config path each one sets. */
export const configEnvVars = {
  XDR_RELAY_QUEUE: "queue.kind",
  XDR_RELAY_SERVICEBUS_CONNECTION_STRING: "queue.serviceBusConnectionString",
  XDR_RELAY_HUNTING_URL: "hunting.url",
  XDR_RELAY_INGESTION_ENDPOINT: "ingestion.endpoint",
  XDR_RELAY_DCR_ID: "ingestion.dcrId",
  XDR_RELAY_AUTH: "auth",
  XDR_RELAY_DATA_DIR: "dataDir",
  XDR_RELAY_CHECKPOINT: "checkpoint.kind",
  XDR_RELAY_CHECKPOINT_ACCOUNT_URL: "checkpoint.accountUrl",
  XDR_RELAY_CHECKPOINT_CONTAINER: "checkpoint.container",
  /** The name of the variable that holds the connection string, not the string itself. */
  XDR_RELAY_CHECKPOINT_CONNECTION_STRING_ENV: "checkpoint.connectionStringEnv",
  /** Comma-separated tenant ids; each gets the default queries. */
  XDR_RELAY_TENANTS: "tenants",
} as const;

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key] as Json;
  }
  node[keys.at(-1) as string] = value;
}

/**
 * Lays the environment over the file's settings: a variable, when set and not empty, wins.
 * The result is still unvalidated input for `RelayConfig`.
 */
export function applyEnv(fileConfig: Json, env: Readonly<Record<string, string | undefined>>): Json {
  const merged = structuredClone(fileConfig);
  for (const [name, path] of Object.entries(configEnvVars)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    // Empty items are dropped so "a,b," (a trailing comma) means tenants a and b, not a tenant "".
    const value = name === "XDR_RELAY_TENANTS" ? tenantsNamed(raw, fileConfig) : raw;
    setPath(merged, path, value);
  }
  return merged;
}

/**
 * The tenants `XDR_RELAY_TENANTS` names (comma-separated ids). The variable picks which tenants
 * run; a tenant the file also describes keeps its settings from there (its queries, budget,
 * credential), which the variable has no way to say. Before, they were replaced by the defaults.
 */
function tenantsNamed(raw: string, fileConfig: Json): Json[] {
  const described = (fileConfig as { tenants?: unknown }).tenants;
  const inFile = Array.isArray(described) ? (described as { id?: unknown }[]) : [];
  return (
    raw
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "")
      // Tenant GUIDs are case-insensitive: `AAAA…` in the variable is the file's `aaaa…` tenant.
      .map((id) => structuredClone((inFile.find((t) => sameTenantId(t?.id, id)) as Json | undefined) ?? { id }))
  );
}

function sameTenantId(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** A whole missing section (e.g. `ingestion`) is set by the variables of its settings. */
function sectionEnvs(section: string): string | undefined {
  const envs = Object.entries(configEnvVars)
    .filter(([, path]) => path.startsWith(`${section}.`))
    .map(([env]) => env);
  return envs.length > 0 ? envs.join(" and ") : undefined;
}

/** `XDR_RELAY_TENANTS` sets tenant ids only: a tenant's other settings come from the config file alone. */
function envCanSet(path: readonly PropertyKey[]): boolean {
  return path[0] !== "tenants" || path.length <= 2 || path[2] === "id";
}

/**
 * One line per problem, each naming the setting, its environment variable, and what is wrong.
 * Given the schema that refused it, an unknown key also gets the setting it was probably meant to be.
 */
export function formatConfigIssues(error: z.ZodError, schema?: z.ZodType): string {
  const byPath = Object.fromEntries(Object.entries(configEnvVars).map(([env, path]) => [path, env]));
  return error.issues
    .map((issue) => {
      const path = issue.path.join(".") || "(root)";
      // A key the schema does not know is no setting: no variable sets it.
      const env =
        issue.code !== "unrecognized_keys" && envCanSet(issue.path)
          ? (byPath[issue.path.slice(0, 2).join(".")] ?? byPath[String(issue.path[0])] ?? sectionEnvs(path))
          : undefined;
      const hint = env ? ` (set it in the config file or with ${env})` : "";
      return `  - ${path}: ${issue.message}${unitHint(issue)}${schema ? didYouMean(schema, issue) : ""}${hint}`;
    })
    .join("\n");
}

/** A duration given as a string ("300000", "5m"): every `…Ms` setting is a number of milliseconds. */
function unitHint(issue: z.core.$ZodIssue): string {
  const name = String(issue.path.at(-1) ?? "");
  if (issue.code !== "invalid_type" || issue.expected !== "number" || !name.endsWith("Ms")) return "";
  return " (a number of milliseconds, without quotes: 300000 is 5 minutes)";
}

function didYouMean(schema: z.ZodType, issue: z.core.$ZodIssue): string {
  if (issue.code !== "unrecognized_keys") return "";
  const guesses = issue.keys.flatMap((key) => {
    const meant = suggestKey(schema, issue.path, key);
    return meant ? [{ key, meant }] : [];
  });
  if (guesses.length === 0) return "";
  if (issue.keys.length === 1) return ` — did you mean "${guesses[0]?.meant}"?`;
  return ` — did you mean ${guesses.map((g) => `"${g.meant}" for "${g.key}"`).join(", ")}?`;
}

const envPrefix = "XDR_RELAY_";
/** Every variable the relay reads besides the settings': the config file's path, and the stack traces switch. */
const otherEnvVars = ["XDR_RELAY_CONFIG", "XDR_RELAY_DEBUG"];

/**
 * `XDR_RELAY_*` variables that are a typo of one the relay reads (`XDR_RELAY_DATADIR`): set, and
 * silently ignored, they would leave the setting at its default. Only close misses are named: a
 * deployment may keep its own variables under the prefix (a secret a `*Env` setting names).
 */
export function misspelledEnvVars(env: Readonly<Record<string, string | undefined>>): { name: string; meant: string }[] {
  const known = [...Object.keys(configEnvVars), ...otherEnvVars];
  const suffixes = known.map((name) => name.slice(envPrefix.length));
  return Object.keys(env)
    .filter((name) => name.startsWith(envPrefix) && !known.includes(name))
    .flatMap((name) => {
      const meant = closestName(name.slice(envPrefix.length), suffixes);
      return meant === undefined ? [] : [{ name, meant: envPrefix + meant }];
    });
}
