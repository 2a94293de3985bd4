import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallQuota } from "./call-quota.ts";
import { type HuntingEmulatorOptions, resolveEmulatorOptions } from "./emulator-options.ts";
import { FaultQueue, RandomFaults } from "./faults.ts";
import { sendGraphFailure } from "./graph-error.ts";
import { handleHuntingCall } from "./hunting-call.ts";
import type { HuntingDesk, HuntingEmulatorStats } from "./hunting-desk.ts";
import { ResultCache } from "./result-cache.ts";
import { ServedRows } from "./served-rows.ts";
import type { SyntheticTenant } from "./synthetic-tenant.ts";

/** A running loopback stand-in for Graph's `runHuntingQuery`. */
export interface HuntingEmulator extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The default (first) tenant's endpoint: `<origin>/v1.0/security/runHuntingQuery`. */
  readonly url: string;
  /** `<origin>/{tenant}/v1.0/security/runHuntingQuery`: the client substitutes `{tenant}`. */
  readonly tenantUrlTemplate: string;
  urlFor(tenant: string): string;
  readonly tenants: ReadonlyMap<string, SyntheticTenant>;
  /** Programmed faults for the next requests: `emulator.faults.push({ status: 500 }, ...)`. */
  readonly faults: FaultQueue;
  /** A snapshot of the counters. */
  readonly stats: HuntingEmulatorStats;
  close(): Promise<void>;
}

const ENDPOINT = /^\/(?:([A-Za-z0-9._-]+)\/)?(?:v1\.0|beta)\/security\/runHuntingQuery\/?$/i;

export async function startHuntingEmulator(options: HuntingEmulatorOptions = {}): Promise<HuntingEmulator> {
  const resolved = resolveEmulatorOptions(options);
  const tenants = new Map(resolved.tenants.map((t) => [t.id, t]));
  const closing = new AbortController();
  const desk: HuntingDesk = {
    options: resolved,
    faults: new FaultQueue(),
    randomFaults: new RandomFaults(resolved.failRate, resolved.failSeed, resolved.randomFaults),
    quota: new CallQuota(resolved.callsPerMinute),
    served: new ServedRows(),
    results: new ResultCache(),
    stats: { calls: 0, throttled: 0, faulted: 0, rowsServed: 0 },
    closing: closing.signal,
  };

  const route = (req: IncomingMessage, res: ServerResponse) => {
    const match = ENDPOINT.exec(new URL(req.url ?? "/", "http://localhost").pathname);
    if (!match) return refuse(res, 404, "NotFound", `Resource not found for the segment '${req.url}'.`);
    if (req.method !== "POST") return refuse(res, 405, "MethodNotAllowed", "runHuntingQuery takes POST.");
    const tenantId = match[1] ?? (resolved.tenants[0] as SyntheticTenant).id;
    const tenant = tenants.get(tenantId);
    if (!tenant)
      return refuse(res, 404, "NotFound", `Tenant '${tenantId}' is not served here; known: ${[...tenants.keys()].join(", ")}.`);
    handleHuntingCall(desk, tenant, req, res).catch((e: unknown) => {
      // A bug in the emulator must show in the test as a 500, not as a hung request.
      refuse(res, 500, "InternalServerError", `Emulator error: ${e instanceof Error ? e.message : String(e)}`);
      if (res.headersSent) res.destroy();
    });
  };

  const server = createServer(route);
  // Without this, each small response waits on Nagle + delayed ACK (~40 ms per call on loopback).
  server.on("connection", (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host}:${port}`;
  const urlFor = (tenant: string) => `${origin}/${encodeURIComponent(tenant)}/v1.0/security/runHuntingQuery`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      closing.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    origin,
    url: `${origin}/v1.0/security/runHuntingQuery`,
    tenantUrlTemplate: `${origin}/{tenant}/v1.0/security/runHuntingQuery`,
    urlFor,
    tenants,
    faults: desk.faults,
    get stats() {
      return { ...desk.stats, distinctRowsServed: desk.served.distinct };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  sendGraphFailure(res, { status, code, message });
}
