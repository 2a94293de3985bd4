import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import {
  isAggregateLogsUploadError,
  LogsIngestionClient,
  type LogsIngestionClientOptions,
  type LogsUploadFailure,
} from "@azure/monitor-ingestion";
import {
  type DataCollectionRule,
  type IngestionEmulator,
  type IngestionEmulatorOptions,
  startIngestionEmulator,
} from "../src/ingestion/index.ts";

export const ruleId = "dcr-0123456789abcdef0123456789abcdef";
export const streamName = "Custom-XdrAlertInfo";
export const table = "XdrAlertInfo_CL";

/** The alert stream the sink sends: Defender's `Title` renamed, as Log Analytics reserves it. */
export const alertRule: DataCollectionRule = {
  immutableId: ruleId,
  streams: {
    [streamName]: {
      outputTable: table,
      columns: [
        { name: "TimeGenerated", type: "datetime" },
        { name: "Timestamp", type: "datetime" },
        { name: "AlertId", type: "string" },
        { name: "AlertTitle", type: "string" },
        { name: "Severity", type: "string" },
        { name: "AttackTechniques", type: "dynamic" },
        { name: "RowId", type: "string" },
      ],
    },
  },
};

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The real SDK client, made to talk plain HTTP to a loopback emulator: the bearer-token policy
 * refuses `http://`, so it is removed (which is why this is allowed for loopback hosts only).
 * Retries stay the SDK's own, just with short delays.
 */
export function createLoopbackIngestionClient(endpoint: string, options: LogsIngestionClientOptions = {}): LogsIngestionClient {
  if (!loopbackHosts.has(new URL(endpoint).hostname)) throw new Error(`${endpoint} is not a loopback endpoint`);
  const credential: TokenCredential = {
    getToken: async () => ({ token: "loopback", expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const client = new LogsIngestionClient(endpoint, credential, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    ...options,
  });
  const removed = client.pipeline.removePolicy({ name: "bearerTokenAuthenticationPolicy" });
  if (removed.length !== 1) throw new Error("the SDK's pipeline changed: no bearerTokenAuthenticationPolicy to remove");
  return client;
}

export interface EmulatorFixture extends AsyncDisposable {
  readonly dir: string;
  readonly emulator: IngestionEmulator;
  readonly client: LogsIngestionClient;
  /** Stops the emulator and starts another on the same workspace (a service restart). */
  restart(): Promise<void>;
}

/** An emulator serving `alertRule` on a fresh temporary workspace, with a loopback client; disposing removes both. */
export async function startEmulatorFixture(options: Partial<IngestionEmulatorOptions> = {}): Promise<EmulatorFixture> {
  const dir = await mkdtemp(join(tmpdir(), "xdr-ingestion-"));
  const start = () => startIngestionEmulator({ workspaceDir: dir, rules: [alertRule], ...options });
  let emulator = await start();
  let client = createLoopbackIngestionClient(emulator.endpoint);
  return {
    dir,
    get emulator() {
      return emulator;
    },
    get client() {
      return client;
    },
    async restart() {
      await emulator.close();
      emulator = await start();
      client = createLoopbackIngestionClient(emulator.endpoint);
    },
    async [Symbol.asyncDispose]() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An alert row as the sink maps it, stamped `at` (epoch ms). */
export function alertRow(n: number, at = Date.now()): Record<string, unknown> {
  const time = new Date(at).toISOString();
  return {
    TimeGenerated: time,
    Timestamp: time,
    AlertId: `da${String(n).padStart(6, "0")}`,
    AlertTitle: `Suspicious activity ${n}`,
    Severity: "High",
    AttackTechniques: ["T1059"],
    RowId: n.toString(16).padStart(32, "0"),
  };
}

export const alertRows = (count: number, at?: number) => Array.from({ length: count }, (_, n) => alertRow(n, at));

/** A raw upload call, for what the SDK would never send (oversize, bad JSON, a wrong api-version). */
export function rawUpload(
  endpoint: string,
  init: { body: string | Buffer; path?: string; query?: string; headers?: Record<string, string> },
): Promise<Response> {
  const path = init.path ?? `/dataCollectionRules/${ruleId}/streams/${streamName}`;
  return fetch(`${endpoint}${path}${init.query ?? "?api-version=2023-01-01"}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body,
  });
}

/** Runs an upload that must fail; returns what onError reported and each failed chunk's status, code and message. */
export async function failedUpload(upload: (onError: (f: LogsUploadFailure) => void) => Promise<void>) {
  const reported: LogsUploadFailure[] = [];
  const error = await upload((failure) => reported.push(failure)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAggregateLogsUploadError(error)) throw new Error(`expected an AggregateLogsUploadError, got ${String(error)}`);
  const causes = error.errors.map((e) => e.cause as Error & { statusCode?: number; code?: string });
  return {
    reported,
    statuses: causes.map((c) => c.statusCode),
    codes: causes.map((c) => c.code),
    messages: causes.map((c) => c.message),
  };
}
