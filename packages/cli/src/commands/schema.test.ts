import { RelayConfig } from "@xdr-relay/core";
import { startHuntingEmulator } from "@xdr-relay/emulators";
import { GraphHuntingClient } from "@xdr-relay/fetcher";
import { describe, expect, it } from "vitest";
import type { SchemaReport } from "../schema/schema-report.ts";
import { schemaCommand } from "./schema.ts";
import { UsageError } from "./usage-error.ts";

const config = RelayConfig.parse({
  auth: "none",
  hunting: { url: "http://127.0.0.1:9/hunting" },
  ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-test" },
  tenants: [{ id: "contoso" }],
  queries: { custom: { kql: "AlertInfo | summarize count() by Severity, bin(Timestamp, 1h)", stream: "Custom-XdrCounts" } },
});

async function report(query: string, live = false, hunting?: GraphHuntingClient): Promise<SchemaReport> {
  let printed = "";
  const code = await schemaCommand(config, { query, live, hunting, print: (t) => (printed = t) });
  expect(code).toBe(0);
  return JSON.parse(printed) as SchemaReport;
}

describe("xdr-relay schema", () => {
  it("prints a built-in query's stream declaration and table offline", async () => {
    const r = await report("alert-info");
    expect(r.source).toContain("offline");
    expect(Object.keys(r.streamDeclarations)).toEqual(["Custom-XdrAlertInfo"]);
    expect(r.table.name).toBe("XdrAlertInfo_CL");
    expect(r.table.columns.map((c) => c.name)).toContain("AlertTitle");
  });

  it("refuses unknown queries and offline guesses, pointing at --live", async () => {
    await expect(schemaCommand(config, { query: "nope", live: false })).rejects.toThrow(UsageError);
    await expect(schemaCommand(config, { query: undefined, live: false })).rejects.toThrow(/alert-info/);
    await expect(schemaCommand(config, { query: "custom", live: false })).rejects.toThrow(/--live/);
  });

  it("agrees with a live probe of the hunting API for every built-in query", async () => {
    await using hunting = await startHuntingEmulator({ callsPerMinute: Number.POSITIVE_INFINITY });
    const client = new GraphHuntingClient({ url: hunting.url, credentialFor: undefined, requestTimeoutMs: 10_000 });
    for (const query of ["alert-info", "alert-evidence"]) {
      const live = await report(query, true, client);
      const offline = await report(query);
      expect(live.source).toContain("live");
      expect(live.streamDeclarations, query).toEqual(offline.streamDeclarations);
    }
  });
});
