import { ConfigError, CounterMetrics, TransientError } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { huntingFaultFix, TenantFaultGate } from "./tenant-fault-gate.ts";

function gate() {
  let now = 0;
  const lines: string[] = [];
  const logger = {
    debug: () => undefined,
    info: (event: string) => void lines.push(event),
    warn: (event: string) => void lines.push(event),
    error: (event: string) => void lines.push(event),
  };
  const metrics = new CounterMetrics();
  const g = new TenantFaultGate(logger, metrics, () => now, 60_000);
  return {
    g,
    lines,
    metrics,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** One window's turn: held, or called with `answer` (an Error thrown, or undefined for rows). */
function turn(g: TenantFaultGate, tenant: string, answer: Error | undefined): number | "called" {
  const hold = g.holdFor(tenant);
  if (hold > 0) return hold;
  g.calling(tenant);
  g.answered(tenant, answer);
  return "called";
}

describe("TenantFaultGate", () => {
  it("lets one window a minute probe a tenant with a configuration fault, holds the rest, and says so once", () => {
    const { g, lines, metrics, advance } = gate();
    const forbidden = new ConfigError("403 Forbidden");
    expect(turn(g, "contoso", forbidden)).toBe("called"); // the fault opens
    const turns = Array.from({ length: 45 }, () => turn(g, "contoso", forbidden));
    expect(turns.every((t) => typeof t === "number" && t > 0 && t <= 60_000)).toBe(true);
    expect(turn(g, "fabrikam", undefined)).toBe("called"); // another tenant goes on
    advance(60_000);
    expect(turn(g, "contoso", forbidden)).toBe("called"); // the minute's probe
    expect(turn(g, "contoso", forbidden)).toBeGreaterThan(0);
    expect(lines).toEqual(["tenantConfigFault"]);
    expect(metrics.get("tenantConfigFault")).toBe(2);
    expect(metrics.get("windowsHeldForFault")).toBe(46);
  });

  it("clears the fault on any answer that is not a configuration fault, and lets every window go again", () => {
    const { g, lines, advance } = gate();
    turn(g, "contoso", new ConfigError("401"));
    advance(60_000);
    expect(turn(g, "contoso", new TransientError("503"))).toBe("called");
    expect(turn(g, "contoso", undefined)).toBe("called");
    expect(lines).toEqual(["tenantConfigFault", "tenantConfigFaultCleared"]);
  });

  it("holds the others while a probe is out, and a probe dropped by a stop lets the next one go", () => {
    const { g, advance } = gate();
    turn(g, "contoso", new ConfigError("401"));
    advance(60_000);
    expect(g.holdFor("contoso")).toBe(0);
    g.calling("contoso");
    expect(g.holdFor("contoso")).toBe(60_000); // a probe is out
    g.dropped("contoso");
    expect(g.holdFor("contoso")).toBe(0);
  });
});

describe("huntingFaultFix", () => {
  it("points a 404 at hunting.url, and a refusal at the app's permission or credential", () => {
    expect(huntingFaultFix(new ConfigError("Resource not found for the segment", { status: 404 }))).toMatch(
      /^check hunting\.url \(XDR_RELAY_HUNTING_URL\)/,
    );
    expect(huntingFaultFix(new ConfigError("Forbidden", { status: 403 }))).toMatch(/ThreatHunting\.Read\.All/);
    expect(huntingFaultFix(new ConfigError("no token for tenant t"))).toMatch(/fix its credential/);
  });
});
