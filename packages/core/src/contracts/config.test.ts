import { describe, expect, it } from "vitest";
import { queryDefinition, RelayConfig } from "./config.ts";
import { issuePaths } from "./schema-issues.ts";

const minimal = {
  ingestion: { endpoint: "https://dce.westeurope-1.ingest.monitor.azure.com", dcrId: "dcr-0123" },
  tenants: [{ id: "contoso.onmicrosoft.com" }],
};

describe("RelayConfig", () => {
  it("fills documented defaults from the two settings that have none", () => {
    const config = RelayConfig.parse(minimal);
    expect(config).toMatchObject({
      dataDir: ".xdr-relay",
      auth: "azure",
      queue: { kind: "embedded", lockDurationMs: 60_000, maxDeliveryCount: 10 },
      hunting: {
        url: "https://graph.microsoft.com/v1.0/security/runHuntingQuery",
        rowCap: 100_000,
        maxAttempts: 5,
        minWindowMs: 1_000,
      },
      ingestion: { batchMaxBytes: 990_000, maxAttempts: 5 },
      schedule: {
        windowMs: 300_000,
        lagMs: 600_000,
        maxWindowsPerTick: 288,
        tickMs: 60_000,
        resweepOffsetsMs: [3_600_000, 86_400_000],
      },
      tenants: [{ id: "contoso.onmicrosoft.com", queries: ["alert-info", "alert-evidence"] }],
    });
  });

  it.each([
    ["no ingestion section", { tenants: minimal.tenants }, ["ingestion.endpoint", "ingestion.dcrId"]],
    ["an ingestion section that is not an object", { ...minimal, ingestion: "https://dce.example" }, ["ingestion"]],
    ["no tenants", { ingestion: minimal.ingestion }, ["tenants"]],
    ["an empty tenant list", { ...minimal, tenants: [] }, ["tenants"]],
    ["a tenant id with a slash", { ...minimal, tenants: [{ id: "a/b" }] }, ["tenants.0.id"]],
    // A short name names no Entra tenant: the token would come from whichever the environment picks.
    [
      "short tenant names with auth azure",
      { ...minimal, tenants: [{ id: "contoso" }, { id: "fabrikam" }] },
      ["tenants.0.id", "tenants.1.id"],
    ],
    [
      "a tenant named twice",
      { ...minimal, tenants: [{ id: "a.example.com" }, { id: "b.example.com" }, { id: "a.example.com" }] },
      ["tenants.2.id"],
    ],
    // Tenant GUIDs are case-insensitive: both would fetch every row, under two RowIds.
    [
      "a tenant named twice in two cases",
      { ...minimal, tenants: [{ id: "aa-11.example" }, { id: "AA-11.example" }] },
      ["tenants.1.id"],
    ],
    [
      "a query listed twice for a tenant",
      { ...minimal, tenants: [{ id: "t.example.com", queries: ["alert-info", "alert-info"] }] },
      ["tenants.0.queries.1"],
    ],
    ["a lock under Service Bus's 5 s", { ...minimal, queue: { lockDurationMs: 60 } }, ["queue.lockDurationMs"]],
    ["a data directory under an unexpanded ~", { ...minimal, dataDir: "~/relay" }, ["dataDir"]],
    ["a window under a minute", { ...minimal, schedule: { windowMs: 30_000 } }, ["schedule.windowMs"]],
    ["a smallest split above the window", { ...minimal, hunting: { minWindowMs: 600_000 } }, ["hunting.minWindowMs"]],
    // Node fires a longer timer after 1 ms: every call would time out at once, the scheduler spin.
    ["a request timeout past a timer's range", { ...minimal, hunting: { requestTimeoutMs: 3e9 } }, ["hunting.requestTimeoutMs"]],
    ["a tick past a timer's range", { ...minimal, schedule: { tickMs: 3e9 } }, ["schedule.tickMs"]],
    [
      "a plain-http Graph URL with a token",
      { ...minimal, hunting: { url: "http://192.0.2.2/v1.0/security/runHuntingQuery" } },
      ["hunting.url"],
    ],
    [
      "a plain-http endpoint with a token",
      { ...minimal, ingestion: { ...minimal.ingestion, endpoint: "http://dce.example" } },
      ["ingestion.endpoint"],
    ],
    [
      "a stream declaration no query sends to (a typo)",
      {
        ...minimal,
        ingestion: { ...minimal.ingestion, streams: { "Custom-XdrAlertinfo": { columns: [{ name: "A", type: "string" }] } } },
      },
      ["ingestion.streams.Custom-XdrAlertinfo"],
    ],
    ["a typo at the top", { ...minimal, tennants: [] }, [""]],
    ["a typo in a section", { ...minimal, schedule: { windowMS: 1 } }, ["schedule"]],
    ["an unknown queue kind", { ...minimal, queue: { kind: "kafka" } }, ["queue.kind"]],
    [
      "servicebus without its connection string",
      { ...minimal, queue: { kind: "servicebus" } },
      ["queue.serviceBusConnectionString"],
    ],
    ["a lock over Service Bus's 5 minutes", { ...minimal, queue: { lockDurationMs: 300_001 } }, ["queue.lockDurationMs"]],
    [
      "batches over the 1 MB call limit",
      { ...minimal, ingestion: { ...minimal.ingestion, batchMaxBytes: 1_000_001 } },
      ["ingestion.batchMaxBytes"],
    ],
    ["a row cap above the service's silent 100,000", { ...minimal, hunting: { rowCap: 150_000 } }, ["hunting.rowCap"]],
    ["a negative lag", { ...minimal, schedule: { lagMs: -1 } }, ["schedule.lagMs"]],
    ["a fractional window", { ...minimal, schedule: { windowMs: 1.5 } }, ["schedule.windowMs"]],
    ["re-sweep offsets out of order", { ...minimal, schedule: { resweepOffsetsMs: [2, 1] } }, ["schedule.resweepOffsetsMs"]],
    [
      // Past the 7-day duplicate history too: its rows would land twice.
      "a re-sweep past 30 days",
      { ...minimal, schedule: { resweepOffsetsMs: [31 * 86_400_000] } },
      ["schedule.resweepOffsetsMs.0", "queue.duplicateDetectionHistoryMs"],
    ],
    [
      "an unknown query",
      { ...minimal, tenants: [{ id: "t.example.com", queries: ["alert-info", "nope"] }] },
      ["tenants.0.queries.1"],
    ],
    [
      "a query with its own time filter",
      { ...minimal, queries: { mine: { kql: "AlertInfo | where Timestamp > ago(1d)", stream: "Custom-Mine" } } },
      ["queries.mine.kql"],
    ],
  ])("refuses %s", (_, input, paths) => {
    expect(issuePaths(RelayConfig, input)).toEqual(paths);
  });

  it("takes a tenant by its GUID or one of its domains with auth azure, and by a short name with auth none (emulators)", () => {
    const tenants = [{ id: "3F2504E0-4F89-11D3-9A0C-0305E82C3301" }, { id: "contoso.onmicrosoft.com" }, { id: "fabrikam.com" }];
    expect(RelayConfig.safeParse({ ...minimal, tenants }).success).toBe(true);
    expect(RelayConfig.safeParse({ ...minimal, auth: "none", tenants: [{ id: "contoso" }] }).success).toBe(true);
    const refused = RelayConfig.safeParse({ ...minimal, tenants: [{ id: "contoso" }] });
    expect(refused.error?.issues[0]?.message).toBe(
      '"contoso" names no Entra tenant: with auth azure give its tenant id (a GUID, as Entra ID\'s overview shows it) ' +
        "or one of its domains (contoso.onmicrosoft.com); short names are for emulated tenants (auth none)",
    );
  });

  it.each([
    [
      "a configuration access endpoint",
      "https://my-dce-a1b2.westeurope-1.handler.control.monitor.azure.com",
      "configuration access endpoint",
    ],
    ["the Data Collector API's host", "https://0123-4567.ods.opinsights.azure.com", "Data Collector API"],
    [
      "a whole upload URL",
      "https://my-dce-a1b2.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-0123/streams/Custom-X?api-version=2023-01-01",
      "whole upload URL",
    ],
  ])("refuses %s as the ingestion endpoint, saying which it is", (_, endpoint, says) => {
    const result = RelayConfig.safeParse({ ...minimal, ingestion: { ...minimal.ingestion, endpoint } });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["ingestion.endpoint", expect.stringContaining(says)],
    ]);
  });

  it("refuses a query whose table name would pass the Tables API's 63 characters", () => {
    const stream = `Custom-${"X".repeat(61)}`;
    const result = RelayConfig.safeParse({ ...minimal, queries: { long: { kql: "AlertInfo", stream } } });
    expect(result.error?.issues[0]?.message).toContain("may have 60 characters at most");
    const fits = { long: { kql: "AlertInfo", stream: `Custom-${"X".repeat(60)}` } };
    expect(RelayConfig.safeParse({ ...minimal, queries: fits }).success).toBe(true);
  });

  it("takes an https scheme in any case, as URLs do", () => {
    const upper = {
      ...minimal,
      ingestion: { ...minimal.ingestion, endpoint: "HTTPS://dce.westeurope-1.ingest.monitor.azure.com" },
    };
    expect(RelayConfig.safeParse(upper).success).toBe(true);
  });

  it("allows plain http to loopback with a token (a local proxy or emulator)", () => {
    const local = { ...minimal, hunting: { url: "http://127.0.0.1:8080/hunting" } };
    expect(RelayConfig.safeParse(local).success).toBe(true);
  });

  it("says which stream a misspelt declaration probably meant", () => {
    const streams = { "Custom-XdrAlertinfo": { columns: [{ name: "A", type: "string" }] } };
    const result = RelayConfig.safeParse({ ...minimal, ingestion: { ...minimal.ingestion, streams } });
    expect(result.error?.issues[0]?.message).toMatch(
      /no query sends to Custom-XdrAlertinfo — did you mean Custom-XdrAlertInfo\?/,
    );
  });

  it("names the known queries when a tenant asks for an unknown one", () => {
    const result = RelayConfig.safeParse({ ...minimal, tenants: [{ id: "t.example.com", queries: ["nope"] }] });
    expect(result.error?.issues[0]?.message).toBe(
      'unknown query "nope"; known: alert-info, alert-evidence, mitre-tactics, device-alert-events',
    );
  });

  it("accepts a tenant's own query and resolves it before the built-in ones", () => {
    const own = { kql: "DeviceEvents | project Timestamp", stream: "Custom-Mine" };
    const config = RelayConfig.parse({
      ...minimal,
      tenants: [{ id: "t.example.com", queries: ["mine"] }],
      queries: { mine: own, "alert-info": own },
    });
    expect([queryDefinition(config, "mine"), queryDefinition(config, "alert-info")]).toEqual([own, own]);
    expect(queryDefinition(config, "alert-evidence").stream).toBe("Custom-XdrAlertEvidence");
    expect(() => queryDefinition(config, "nope")).toThrow('unknown query "nope"');
  });
});
