import { describe, expect, it } from "vitest";
import { RelayConfig } from "./config.ts";
import { callBudgetFor, defaultCallBudget, sameCallBudget } from "./config-budget.ts";

const config = RelayConfig.parse({
  ingestion: { endpoint: "https://dce.westeurope-1.ingest.monitor.azure.com", dcrId: "dcr-0123" },
  hunting: { callsPerMinute: 40, callsPerHour: 1_200 },
  tenants: [
    { id: "contoso.onmicrosoft.com" },
    { id: "fabrikam.onmicrosoft.com", callsPerMinute: 100, callsPerHour: 5_000 },
    { id: "tailspin.onmicrosoft.com", callsPerMinute: 10 },
  ],
});

describe("callBudgetFor", () => {
  it.each([
    ["a tenant that says nothing gets hunting.*", "contoso.onmicrosoft.com", { callsPerMinute: 40, callsPerHour: 1_200 }],
    ["a tenant's own limits win", "fabrikam.onmicrosoft.com", { callsPerMinute: 100, callsPerHour: 5_000 }],
    ["each limit falls back on its own", "tailspin.onmicrosoft.com", { callsPerMinute: 10, callsPerHour: 1_200 }],
    ["a tenant the config no longer names gets hunting.*", "removed", { callsPerMinute: 40, callsPerHour: 1_200 }],
  ])("%s", (_, tenant, budget) => {
    expect(callBudgetFor(config, tenant)).toEqual(budget);
  });

  it("tells a tenant's own budget from the default", () => {
    const fallback = defaultCallBudget(config);
    expect(config.tenants.map((t) => sameCallBudget(callBudgetFor(config, t.id), fallback))).toEqual([true, false, false]);
  });

  it("keeps an override equal to the default as the default", () => {
    const same = RelayConfig.parse({ ...config, tenants: [{ id: "contoso.onmicrosoft.com", callsPerMinute: 40 }] });
    expect(sameCallBudget(callBudgetFor(same, "contoso.onmicrosoft.com"), defaultCallBudget(same))).toBe(true);
  });
});
