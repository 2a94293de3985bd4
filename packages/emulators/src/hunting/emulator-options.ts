import type { HuntingFault } from "./faults.ts";
import { SyntheticTenant } from "./synthetic-tenant.ts";
import type { SyntheticTenantOptions } from "./tenant-options.ts";

/** One answered (or refused) call, for tests that assert on what the client sent. */
export interface HuntingCall {
  readonly tenant: string;
  readonly query: string | undefined;
  readonly timespan: string | undefined;
  readonly status: number;
  /** Rows in a 200 answer (after filters and the row cap); 0 otherwise. */
  readonly rows: number;
}

export interface HuntingEmulatorOptions {
  /** The tenants served; the first is the default tenant of `/v1.0/...`. Default: one tenant `contoso` with the last 30 days. */
  readonly tenants?: readonly (SyntheticTenant | SyntheticTenantOptions)[];
  /** Default `127.0.0.1`: loopback only. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The emulator's clock: late-row visibility, the call quota and the 30-day limit follow it. Default `Date.now`. */
  readonly now?: () => number;
  /** Rows per result at most; more are cut silently, as the service does. Default 100,000. */
  readonly rowCap?: number;
  /** Calls per tenant per sliding minute before 429s. Default 45; `Infinity` turns the quota off. */
  readonly callsPerMinute?: number;
  /** A result larger than this (JSON bytes) is refused with the service's 400. Default: no limit. */
  readonly maxResultBytes?: number;
  /** How far back data is kept. Default 30 days. */
  readonly retentionMs?: number;
  /** Emit `schema` entries as `{Name, Type}`, like one documented example. Default false. */
  readonly capitalizedSchema?: boolean;
  /** Share of requests that fail at random with a fault from `randomFaults`. Default 0. */
  readonly failRate?: number;
  /** Seed of the random faults, so a flaky run can be replayed. Default 1. */
  readonly failSeed?: number;
  /** What random faults look like. Default: plain 500, 502 and 503 (transient; not 504, a timeout, which clients read as "split the window"). */
  readonly randomFaults?: readonly HuntingFault[];
  /** Called after each call to the hunting endpoint. */
  readonly onCall?: (call: HuntingCall) => void;
}

export type ResolvedEmulatorOptions = Required<Omit<HuntingEmulatorOptions, "tenants" | "maxResultBytes" | "onCall">> &
  Pick<HuntingEmulatorOptions, "maxResultBytes" | "onCall"> & { readonly tenants: readonly SyntheticTenant[] };

const dayMs = 86_400_000;

export function resolveEmulatorOptions(o: HuntingEmulatorOptions): ResolvedEmulatorOptions {
  const now = o.now ?? Date.now;
  const tenants = (o.tenants ?? [defaultTenant(now())]).map((t) => (t instanceof SyntheticTenant ? t : new SyntheticTenant(t)));
  const resolved = {
    tenants,
    host: o.host ?? "127.0.0.1",
    port: o.port ?? 0,
    now,
    rowCap: o.rowCap ?? 100_000,
    callsPerMinute: o.callsPerMinute ?? 45,
    maxResultBytes: o.maxResultBytes,
    retentionMs: o.retentionMs ?? 30 * dayMs,
    capitalizedSchema: o.capitalizedSchema ?? false,
    failRate: o.failRate ?? 0,
    failSeed: o.failSeed ?? 1,
    randomFaults: o.randomFaults ?? [{ status: 500 }, { status: 502 }, { status: 503 }],
    onCall: o.onCall,
  } satisfies ResolvedEmulatorOptions;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`startHuntingEmulator: ${what}`);
  };
  check(tenants.length > 0, "tenants must name at least one tenant");
  check(new Set(tenants.map((t) => t.id)).size === tenants.length, "tenant ids must be unique");
  check(Number.isInteger(resolved.rowCap) && resolved.rowCap > 0, "rowCap must be a positive integer");
  check(resolved.callsPerMinute > 0, "callsPerMinute must be positive (Infinity turns the quota off)");
  check(resolved.maxResultBytes === undefined || resolved.maxResultBytes > 0, "maxResultBytes must be positive");
  check(resolved.failRate >= 0 && resolved.failRate <= 1, "failRate must be within [0, 1]");
  return resolved;
}

function defaultTenant(nowMs: number): SyntheticTenant {
  return new SyntheticTenant({ id: "contoso", seed: 1, startMs: nowMs - 30 * dayMs, endMs: nowMs });
}
