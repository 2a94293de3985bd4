import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock } from "@xdr-relay/core";
import type { IngestionFault, IngestionRejectWhen } from "./faults.ts";
import { ingestCall } from "./ingest-call.ts";
import { readRequestBody } from "./request-body.ts";
import { matchUploadRoute } from "./route.ts";
import { type DataCollectionRule, validateRules } from "./rules.ts";
import { errorForStatus, type UploadResponse } from "./service-error.ts";
import { emptyStats, type IngestionStats, recordCall, recordRejected } from "./stats.ts";
import { openWorkspace, type Workspace } from "./workspace.ts";

/**
 * The service's limit per call: its 413 says "Maximum allowed content length: 1048576 bytes (1 MB)"
 * (Azure SDK for .NET live tests). Not 1,000,000: the SDK cuts chunks at 1,000,000 bytes of records
 * without the commas between them, so its chunks run a few KB over that and Azure takes them.
 */
export const ingestionMaxBodyBytes = 1_048_576;

export interface IngestionEmulatorOptions {
  /** Where accepted rows land (`<Table>.jsonl`); reopen it with `openWorkspace(dir)`. */
  readonly workspaceDir: string;
  readonly rules: readonly DataCollectionRule[];
  /** The receive time, in epoch ms, that `TimeGenerated` is judged against. Default `Date.now`. */
  readonly now?: () => number;
  /** Limit per call, on the wire and after gunzip. Default `ingestionMaxBodyBytes` (1 MiB). */
  readonly maxBodyBytes?: number;
  /** Sync each append to disk (survives a machine crash, ~10 ms a call). Default false: a process crash is survived anyway. */
  readonly fsync?: boolean;
  /** Default 0: any free port on 127.0.0.1. */
  readonly port?: number;
  readonly rejectWhen?: IngestionRejectWhen;
}

export interface IngestionEmulator extends AsyncDisposable {
  /** The data collection endpoint to give `LogsIngestionClient`, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly workspace: Workspace;
  /** Live counters since start. */
  readonly stats: Readonly<IngestionStats>;
  /** Scripted answers for the next calls, taken first in, first out. */
  readonly faults: IngestionFault[];
  /** Poisoned-row check, replaceable at any time. */
  rejectWhen: IngestionRejectWhen | undefined;
  /** Stops listening, abandons delayed calls, waits for calls being written. Idempotent. */
  close(): Promise<void>;
}

/** A loopback Azure Monitor Logs Ingestion API that the real `@azure/monitor-ingestion` client talks to. */
export async function startIngestionEmulator(options: IngestionEmulatorOptions): Promise<IngestionEmulator> {
  validateRules(options.rules);
  const rules = new Map(options.rules.map((r) => [r.immutableId, r]));
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? ingestionMaxBodyBytes;
  const stats = emptyStats();
  const workspace = openWorkspace(options.workspaceDir, { fsync: options.fsync ?? false });
  const faults: IngestionFault[] = [];
  let rejectWhen = options.rejectWhen;
  const closing = new AbortController();
  const inFlight = new Set<Promise<void>>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = matchUploadRoute(request.method, request.url);
    if (route === undefined) {
      request.resume();
      return send(response, errorForStatus(404, `No API is served at ${request.method} ${request.url}.`));
    }
    const body = await readRequestBody(request, maxBodyBytes);
    if (body.kind === "aborted") return;
    recordCall(stats, {
      authorized: request.headers.authorization !== undefined,
      wireBytes: body.wireBytes,
      gzipped: request.headers["content-encoding"]?.trim().toLowerCase() === "gzip",
    });
    const fault = faults.shift();
    if (fault?.delayMs !== undefined) await systemClock.sleep(fault.delayMs, closing.signal);
    // Closing mid-delay, or a scripted reset: the connection dies and nothing lands.
    if (closing.signal.aborted || fault?.resetConnection === true) {
      request.socket.destroy();
      return;
    }
    const answer =
      fault?.status !== undefined
        ? errorForStatus(fault.status, fault.message, fault.retryAfterSeconds, route.ruleId)
        : await ingestCall({ rules, workspace, stats, maxBodyBytes, receivedAtMs: now(), rejectWhen }, route, body);
    if (answer.status !== 204) recordRejected(stats, answer.status);
    send(response, answer);
  }

  const server = createServer((request, response) => {
    const call = handle(request, response).catch((e: unknown) => {
      // A fault of the emulator itself (a failed disk write) reads as the service's 500: retryable.
      recordRejected(stats, 500);
      send(response, errorForStatus(500, `Emulator failure: ${(e as Error).message}`));
    });
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  });
  // Without this a response written in parts can wait on Nagle's algorithm (tens of ms a call on loopback).
  server.on("connection", (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  async function shutDown(): Promise<void> {
    closing.abort();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...inFlight]);
    server.closeAllConnections();
    await stopped;
  }
  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed = closed ?? shutDown();
    return closed;
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    workspace,
    stats,
    faults,
    get rejectWhen() {
      return rejectWhen;
    },
    set rejectWhen(check) {
      rejectWhen = check;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function send(response: ServerResponse, answer: UploadResponse): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}
