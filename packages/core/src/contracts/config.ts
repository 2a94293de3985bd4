import { z } from "zod";
import { isEntraTenantId } from "../logic/entra-tenant-id.ts";
import { isPlainHttpOffLoopback } from "../logic/loopback.ts";
import { CheckpointConfig } from "./config-checkpoint.ts";
import { closestName } from "./config-suggest.ts";
import { builtInQueries, QueryDefinition } from "./queries.ts";
import { TenantCredential } from "./tenant-credential.ts";

const minute = 60_000;
const positiveInt = () => z.number().int().positive();
/**
 * A delay in ms that a timer waits: above 2^31 − 1 Node fires it after 1 ms instead (a timeout
 * then expired at once, a tick spun), so larger values are refused.
 */
const timerMs = () =>
  positiveInt().max(2 ** 31 - 1, "at most 2147483647 ms (about 24.8 days): a timer longer than that fires at once");

const QueueConfig = z
  .object({
    kind: z.enum(["embedded", "servicebus"]).default("embedded"),
    serviceBusConnectionString: z.string().min(1).optional(),
    /** How long a received message stays locked before it is redelivered (Service Bus: ≤ 5 min). */
    lockDurationMs: positiveInt()
      .min(
        5_000,
        "at least 5000 ms, as on Service Bus: a shorter lock expires mid-batch and redelivers rows already being uploaded",
      )
      .max(5 * minute)
      .default(minute),
    /** Deliveries before the queue itself dead-letters a message (`MaxDeliveryCountExceeded`). */
    maxDeliveryCount: positiveInt().default(10),
    /** How long a message id is remembered for duplicate detection (Service Bus: 20 s to 7 days). */
    duplicateDetectionHistoryMs: positiveInt()
      .max(7 * 24 * 60 * minute)
      .default(7 * 24 * 60 * minute),
    /**
     * Largest message the queue takes: 256 KiB on Service Bus Basic/Standard, up to 100 MB on
     * Premium. A row message that would not fit is sent as a small `tooLarge` stand-in instead.
     */
    maxMessageBytes: positiveInt()
      .max(100 * 1024 * 1024)
      .default(256 * 1024),
  })
  .strict();

const HuntingConfig = z
  .object({
    url: z.url().default("https://graph.microsoft.com/v1.0/security/runHuntingQuery"),
    /**
     * Rows at which a result is taken as possibly cut (the service cuts silently at 100,000). Not
     * above that: a result cut at 100,000 would pass a higher cap as whole, and rows would be lost.
     */
    rowCap: positiveInt()
      .max(100_000, "the service cuts results at 100,000 rows without a word: a higher rowCap would take a cut result as whole")
      .default(100_000),
    /** Attempts per window for transient failures before it is dead-lettered (`FetchFailed`). */
    maxAttempts: positiveInt().default(5),
    /** The service gives up after 3 minutes; wait a little longer before we do. */
    requestTimeoutMs: timerMs().default(200_000),
    /** A window is never split below this; a truncated result at this size is `WindowCannotSplit`. */
    minWindowMs: positiveInt().default(1_000),
    /**
     * Calls per tenant per sliding minute and hour, kept by each fetcher process on its own (several
     * processes share the service's quota: divide by their number; a 429 remains the backstop).
     * Defender allows at least 45/min (more for large tenants) and 1,500/h on the MDE API.
     */
    callsPerMinute: positiveInt().default(45),
    callsPerHour: positiveInt().default(1_500),
    /** The legacy Defender XDR endpoint, for tenants with `api: "legacy"` (retiring, notice MC1220762). */
    legacyUrl: z.url().default("https://api.security.microsoft.com/api/advancedhunting/run"),
  })
  .strict();

/** One column of a DCR stream declaration; the types are the DCR's own. */
const StreamColumnConfig = z
  .object({
    name: z.string().min(1),
    type: z.enum(["string", "int", "long", "real", "boolean", "datetime", "dynamic"]),
  })
  .strict();

const StreamDeclarationConfig = z.object({ columns: z.array(StreamColumnConfig).min(1) }).strict();

const IngestionConfig = z
  .object({
    /** Data collection endpoint (or the DCR's own endpoint), e.g. `https://my-dce.westeurope-1.ingest.monitor.azure.com`. */
    endpoint: z
      .url({ message: "must be a URL such as https://<dce>.<region>.ingest.monitor.azure.com" })
      .superRefine((url, ctx) => {
        const wrong = wrongIngestionEndpoint(url);
        if (wrong !== undefined) ctx.addIssue({ code: "custom", message: wrong });
      }),
    /**
     * The data collection rule's immutable id, `dcr-<32 hex>`. Only its character set is checked:
     * a placeholder copied from the docs (`dcr-<immutable id>`) is refused here, rather than sent
     * in a URL path where it reads as a 404 for a rule that does not exist.
     */
    dcrId: z
      .string({ error: (i) => (i.input === undefined ? "required" : "must be a string") })
      .min(1)
      .regex(/^[A-Za-z0-9-]*$/, {
        error: (i) =>
          `must be the rule's immutable id, "dcr-" and 32 hex digits (immutableId in the rule's JSON view), got "${i.input}"`,
      }),
    /** Rows per upload call at most. */
    batchMaxRows: positiveInt().default(10_000),
    /**
     * Uncompressed JSON bytes per upload call; the service takes 1 MB. The sink counts a batch's
     * exact bytes (commas and brackets included), so the SDK's own chunker, which counts records
     * only, never cuts it again; 1 % under the limit leaves room for nothing else to go wrong.
     */
    batchMaxBytes: positiveInt().max(1_000_000).default(990_000),
    /** How long a partial batch waits for more rows before it is uploaded anyway. */
    lingerMs: z.number().int().min(0).default(1_000),
    /** Attempts per row for transient failures before it is dead-lettered (`IngestionFailed`). */
    maxAttempts: positiveInt().default(5),
    /** Upload calls in flight at once per sink. */
    maxConcurrency: positiveInt().default(2),
    /**
     * The columns each DCR stream declares, by stream name (`Custom-<Name>`), as `xdr-relay schema`
     * prints them. The service drops undeclared columns without a word; with a declaration here the
     * sink catches them first. A stream not listed is uploaded unchecked.
     */
    streams: z.record(z.string(), StreamDeclarationConfig).default({}),
    /** A row with columns its stream does not declare: `deadLetter` it (`SchemaDrift`) or upload it and `warn`. */
    schemaDriftPolicy: z.enum(["deadLetter", "warn"]).default("deadLetter"),
  })
  .strict();

const ScheduleConfig = z
  .object({
    /** Grid size: every window is `[k·windowMs, (k+1)·windowMs)`. */
    windowMs: positiveInt()
      .min(minute, "at least 60000 ms (1 minute): each window is at least one hunting call, and the budget is 45 a minute")
      .default(5 * minute),
    /** How long after a window ends before it is queried (events take time to become queryable). */
    lagMs: z
      .number()
      .int()
      .min(0)
      .default(10 * minute),
    /** Windows enqueued per tick at most, so catch-up after downtime does not flood the quota. */
    maxWindowsPerTick: positiveInt().default(288),
    /** How often the scheduler looks for due windows. */
    tickMs: timerMs().default(minute),
    /** Where a tenant with no checkpoint starts; default: one window before now minus the lag. */
    startAt: z.iso.datetime({ error: "an instant in ISO 8601, in UTC, such as 2026-11-01T00:00:00Z" }).optional(),
    /**
     * Late-arrival re-sweeps: each window is queried again this long after its first pass (plus the
     * lag); rows already sent are dropped by duplicate detection. Pass i + 1 is the i-th offset, and
     * each pass keeps its own checkpoint by that number, so append offsets, never reorder them.
     * Microsoft's own detections look back about 4× their period; Defender keeps 30 days.
     */
    resweepOffsetsMs: z
      .array(positiveInt().max(30 * 24 * 60 * minute, "Defender keeps 30 days; a later re-sweep finds nothing"))
      .refine((offsets) => offsets.every((ms, i) => i === 0 || ms > (offsets[i - 1] ?? 0)), "must be in increasing order")
      .default([60 * minute, 24 * 60 * minute]),
  })
  .strict();

const tenantIdCharacters = /^[A-Za-z0-9._-]+$/;

const TenantConfig = z
  .object({
    /** Entra tenant id (GUID) or domain (`isEntraTenantId`; required with auth azure), or a short name for emulated tenants. */
    id: z.string().min(1).max(64).regex(tenantIdCharacters, "letters, digits, '.', '_' or '-'"),
    queries: z
      .array(z.string().min(1))
      .min(1, `name at least one query: a built-in one (${Object.keys(builtInQueries).join(", ")}) or one of \`queries\``)
      .default(["alert-info", "alert-evidence"]),
    /** `graph` (runHuntingQuery) or `legacy` (api.security.microsoft.com, retiring: notice MC1220762). */
    api: z.enum(["graph", "legacy"]).default("graph"),
    /** How this tenant's token is obtained when `auth` is `azure`. */
    credential: TenantCredential.default({ kind: "default" }),
    /**
     * This tenant's own call budget, where it differs from `hunting.callsPerMinute` / `callsPerHour`
     * (a large tenant is allowed more; a tenant sharing its quota with another tool, less). Each
     * falls back on its own; read them through `callBudgetFor`. Per process, like the default.
     */
    callsPerMinute: positiveInt().optional(),
    callsPerHour: positiveInt().optional(),
  })
  .strict();

const RelayConfigShape = z
  .object({
    /** Where the embedded queue and (with `checkpoint.kind` sqlite) the checkpoints live. */
    dataDir: z
      .string()
      .min(1)
      // Only a shell expands `~`: taken as it is, it made a directory named "~" in the working one.
      .refine((dir) => !/^~($|[/\\])/.test(dir), "a leading ~ is not expanded here: give the home directory's path")
      .default(".xdr-relay"),
    /** `azure`: `@azure/identity` (DefaultAzureCredential). `none`: no token, loopback endpoints only. */
    auth: z.enum(["azure", "none"]).default("azure"),
    queue: QueueConfig.prefault({}),
    hunting: HuntingConfig.prefault({}),
    // A missing section parses as {} so the error names each required setting and its variable. The
    // cast says so: {} is not a valid section, on purpose.
    ingestion: IngestionConfig.prefault({} as z.input<typeof IngestionConfig>),
    schedule: ScheduleConfig.prefault({}),
    checkpoint: CheckpointConfig.prefault({}),
    tenants: z
      .array(TenantConfig, {
        error: (i) => (i.input === undefined ? "required: name at least one tenant" : "must be a list of tenants"),
      })
      .min(1, "name at least one tenant"),
    /** Your own queries, added to (or replacing) the built-in ones by name. */
    queries: z.record(z.string(), QueryDefinition).default({}),
  })
  .strict();

/** The whole configuration, parsed once at start-up. Unknown keys are refused (typos fail loudly). */
export const RelayConfig = RelayConfigShape.superRefine((c, ctx) => {
  for (const [i, t] of c.tenants.entries()) {
    // Tenant GUIDs are case-insensitive: the same tenant twice would fetch every row twice under two RowIds.
    const first = c.tenants.findIndex((other) => other.id.toLowerCase() === t.id.toLowerCase());
    if (first < i) {
      const as = c.tenants[first]?.id === t.id ? "" : ` (as ${c.tenants[first]?.id}: tenant ids are not case-sensitive)`;
      ctx.addIssue({ code: "custom", path: ["tenants", i, "id"], message: `tenant ${t.id} is named twice${as}` });
    }
    for (const [j, query] of t.queries.entries()) {
      if (t.queries.indexOf(query) < j) {
        ctx.addIssue({ code: "custom", path: ["tenants", i, "queries", j], message: `query ${query} is listed twice` });
      }
    }
  }
  if (c.hunting.minWindowMs > c.schedule.windowMs) {
    ctx.addIssue({
      code: "custom",
      path: ["hunting", "minWindowMs"],
      message: `must not exceed schedule.windowMs (${c.schedule.windowMs} ms): a window at the row cap could never be split`,
    });
  }
  if (c.auth === "azure") {
    plainHttpIssues(c, ctx);
    tenantIdIssues(c, ctx);
  }
  streamIssues(c, ctx);
  if (c.checkpoint.kind === "blob" && c.auth === "none" && !c.checkpoint.connectionStringEnv) {
    ctx.addIssue({
      code: "custom",
      path: ["checkpoint", "connectionStringEnv"],
      message: "auth none gets no token for checkpoint.accountUrl: use a connection string (Azurite) or auth azure",
    });
  }
  if (c.queue.kind === "servicebus" && !c.queue.serviceBusConnectionString) {
    ctx.addIssue({
      code: "custom",
      path: ["queue", "serviceBusConnectionString"],
      message: "required when queue.kind is servicebus",
    });
  }
  // A re-sweep re-sends rows already sent lag + offset ago: only duplicate detection drops them.
  const lastSweepMs = c.schedule.lagMs + Math.max(0, ...c.schedule.resweepOffsetsMs);
  if (c.schedule.resweepOffsetsMs.length > 0 && c.queue.duplicateDetectionHistoryMs <= lastSweepMs) {
    ctx.addIssue({
      code: "custom",
      path: ["queue", "duplicateDetectionHistoryMs"],
      message:
        `must be longer than schedule.lagMs + the last of schedule.resweepOffsetsMs (${lastSweepMs} ms): ` +
        "a re-sweep's rows already sent would otherwise land twice",
    });
  }
  const known = { ...builtInQueries, ...c.queries };
  for (const [i, tenant] of c.tenants.entries()) {
    for (const [j, query] of tenant.queries.entries()) {
      if (query in known) continue;
      ctx.addIssue({
        code: "custom",
        path: ["tenants", i, "queries", j],
        message: `unknown query "${query}"; known: ${Object.keys(known).join(", ")}`,
      });
    }
  }
});
export type RelayConfig = z.infer<typeof RelayConfig>;

/**
 * Endpoints of Azure Monitor that look right and are not the logs ingestion endpoint: a data
 * collection endpoint's configuration endpoint, the retiring Data Collector API's host, and the
 * whole upload URL (the SDK adds the rule and stream itself). Each fails only at the first upload
 * otherwise, with an error that points at the rule rather than here.
 */
function wrongIngestionEndpoint(url: string): string | undefined {
  // zod runs refinements on a value that failed `z.url()` too: that one has its issue already.
  if (!URL.canParse(url)) return undefined;
  const { hostname, pathname } = new URL(url);
  const use = "use the logs ingestion endpoint (https://<dce>.<region>-1.ingest.monitor.azure.com, or a Direct rule's own)";
  if (/\.handler\.control\.monitor\.azure\./i.test(hostname)) return `is the configuration access endpoint: ${use}`;
  if (/\.ods\.opinsights\.azure\./i.test(hostname)) return `is the retiring Data Collector API's host: ${use}`;
  if (/\/dataCollectionRules\//i.test(pathname))
    return "is a whole upload URL: give its scheme and host alone; the rule goes in ingestion.dcrId";
  return undefined;
}

/**
 * With `auth: azure` a tenant's token comes from the tenant its id names. A short name (`contoso`,
 * fine for an emulated tenant) names none, so the token would come from whatever tenant the
 * environment picks: two such names would fetch one tenant's rows twice, under two RowIds.
 */
function tenantIdIssues(c: z.infer<typeof RelayConfigShape>, ctx: z.RefinementCtx): void {
  for (const [i, t] of c.tenants.entries()) {
    // An id with other characters has its own issue already (zod runs this refinement all the same).
    if (isEntraTenantId(t.id) || !tenantIdCharacters.test(t.id)) continue;
    ctx.addIssue({
      code: "custom",
      path: ["tenants", i, "id"],
      message:
        `"${t.id}" names no Entra tenant: with auth azure give its tenant id (a GUID, as Entra ID's overview shows it) ` +
        "or one of its domains (contoso.onmicrosoft.com); short names are for emulated tenants (auth none)",
    });
  }
}

/**
 * With `auth: azure` every call carries a bearer token: over plain `http://` to another host it
 * would cross the network readable (Graph's token, or the sink's, which may write to the rule).
 * Loopback stays allowed for local proxies and emulators.
 */
function plainHttpIssues(c: z.infer<typeof RelayConfigShape>, ctx: z.RefinementCtx): void {
  const urls: [string[], string][] = [
    [["hunting", "url"], c.hunting.url],
    [["hunting", "legacyUrl"], c.hunting.legacyUrl],
    [["ingestion", "endpoint"], c.ingestion.endpoint],
  ];
  for (const [path, url] of urls) {
    // An unparseable URL has its own issue already (zod runs this refinement all the same).
    if (!isPlainHttpOffLoopback(url)) continue;
    ctx.addIssue({
      code: "custom",
      path,
      message: `must be https with auth azure (the token would go out in clear), got ${url}`,
    });
  }
}

/**
 * A declaration in `ingestion.streams` under a name no query sends to is, most likely, a typo of
 * one that does: the stream it meant would then go unchecked, its extra columns dropped by the
 * service without a word, which is what the declaration was there to prevent. Any query's stream
 * counts, used by a tenant or not, so dropping a query from the tenants leaves the file valid.
 */
function streamIssues(c: z.infer<typeof RelayConfigShape>, ctx: z.RefinementCtx): void {
  const streams = [...new Set(Object.values({ ...builtInQueries, ...c.queries }).map((q) => q.stream))];
  for (const name of Object.keys(c.ingestion.streams)) {
    if (streams.includes(name)) continue;
    const meant = closestName(name, streams);
    ctx.addIssue({
      code: "custom",
      path: ["ingestion", "streams", name],
      message: `no query sends to ${name}${meant ? ` — did you mean ${meant}?` : ""}; the queries' streams: ${streams.join(", ")}`,
    });
  }
}
/** What a config file or the environment may say, before defaults. */
export type RelayConfigInput = z.input<typeof RelayConfig>;

/** The query definition a query name resolves to (config first, then built-in), if any. */
export function findQuery(config: RelayConfig, name: string): QueryDefinition | undefined {
  return config.queries[name] ?? builtInQueries[name];
}

/** Like `findQuery`, for names the config was already validated to know. */
export function queryDefinition(config: RelayConfig, name: string): QueryDefinition {
  const q = findQuery(config, name);
  if (!q) throw new Error(`unknown query "${name}"`);
  return q;
}
