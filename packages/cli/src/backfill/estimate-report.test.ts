import { estimateBackfill } from "@xdr-relay/scheduler";
import { describe, expect, it } from "vitest";
import { estimateReport } from "./estimate-report.ts";

const minute = 60_000;
const day = 24 * 60 * minute;
const defaultBudget = { callsPerMinute: 45, callsPerHour: 1_500 };
const tenants = [
  { id: "contoso", queries: ["alert-info", "alert-evidence"] },
  { id: "fabrikam", queries: ["alert-info"] },
];

function report(own: Record<string, { callsPerMinute: number; callsPerHour: number }>, toMs = day) {
  const range = { fromMs: 0, toMs, windowMs: 5 * minute };
  const estimate = estimateBackfill({ tenants, ...range, budgetOf: (t) => own[t] ?? defaultBudget });
  return estimateReport({ estimate, ...range, defaultBudget });
}

describe("estimateReport", () => {
  it("names no budget on a tenant's line when every tenant has the default", () => {
    const lines = report({});
    expect(lines.filter((l) => l.includes("its own budget:") || l.includes("tenants[]"))).toEqual([]);
    expect(lines).toContain("  At 45 calls/min and 1,500 calls/h per tenant (hunting.callsPerMinute and");
  });

  it("names a tenant's own budget on its line, and times it at that budget", () => {
    const lines = report({ fabrikam: { callsPerMinute: 2, callsPerHour: 100 } });
    // fabrikam: 288 calls at 100 an hour: 2 full hours, then 88 at 2 a minute.
    expect(lines[1]).toBe("  contoso   alert-info 288 · alert-evidence 288  = 576 calls, 12m 46s at best");
    expect(lines[2]).toBe("  fabrikam  alert-info 288  = 288 calls, 2h 43m at best (from its own budget: 2/min, 100/h)");
    expect(lines.some((l) => l.includes("tenants[].callsPerMinute"))).toBe(true);
    expect(lines.join("\n")).toContain("about 2h 43m, at best");
  });

  it("warns, per tenant, which backfill needs more than a day of its own budget", () => {
    // 30 days: 8,640 windows a query. contoso's 17,280 calls fit a day of 1,000/min; fabrikam's
    // 8,640 fit a day of the default (36,000) but not of 300/h (7,200).
    expect(report({ contoso: { callsPerMinute: 1_000, callsPerHour: 60_000 } }, 30 * day).join("\n")).not.toContain(
      "more than a day",
    );
    const tight = report({ fabrikam: { callsPerMinute: 5, callsPerHour: 300 } }, 30 * day);
    expect(tight.find((l) => l.includes("more than a day"))).toBe(
      "  ! more than a day of call budget for fabrikam (8,640 calls, 7,200 a day).",
    );
  });

  it("warns when windows near Defender's 30 days may be split too late for their data, and says the way round", () => {
    const range = { fromMs: 0, toMs: 30 * day, windowMs: 5 * minute };
    const estimate = estimateBackfill({ tenants, ...range, budgetOf: () => defaultBudget });
    const nowMs = 30 * day + 10 * minute; // the oldest window has 10 minutes left, the backfill takes hours
    const warned = estimateReport({ estimate, ...range, defaultBudget, nowMs }).join("\n");
    expect(warned).toContain("! Defender drops a window's data 30 days after it");
    expect(warned).toContain(`a window before ${new Date(nowMs - 30 * day + estimate.durationMs).toISOString()}`);
    expect(warned).toContain("Backfill those oldest days in a run of their own first");

    const recent = { fromMs: 20 * day, toMs: 30 * day, windowMs: 5 * minute };
    const short = estimateBackfill({ tenants, ...recent, budgetOf: () => defaultBudget });
    expect(estimateReport({ estimate: short, ...recent, defaultBudget, nowMs }).join("\n")).not.toContain("drops a window");
  });
});
