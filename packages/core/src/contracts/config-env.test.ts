import { describe, expect, it } from "vitest";
import { RelayConfig } from "./config.ts";
import { applyEnv, formatConfigIssues } from "./config-env.ts";

const file = {
  ingestion: { endpoint: "https://file.example", dcrId: "dcr-file", batchMaxRows: 10 },
  tenants: [{ id: "from-file.example" }],
};

describe("applyEnv", () => {
  it.each([
    ["nothing set", {}, file],
    ["an empty or blank variable", { XDR_RELAY_DCR_ID: "", XDR_RELAY_AUTH: "  " }, file],
    [
      "a nested setting, keeping its siblings",
      { XDR_RELAY_DCR_ID: " dcr-env " },
      { ...file, ingestion: { ...file.ingestion, dcrId: "dcr-env" } },
    ],
    ["a section the file lacks", { XDR_RELAY_QUEUE: "servicebus" }, { ...file, queue: { kind: "servicebus" } }],
    [
      "a top-level setting",
      { XDR_RELAY_AUTH: "none", XDR_RELAY_DATA_DIR: "/var/xdr" },
      { ...file, auth: "none", dataDir: "/var/xdr" },
    ],
    ["comma-separated tenants", { XDR_RELAY_TENANTS: "a, b ,c" }, { ...file, tenants: [{ id: "a" }, { id: "b" }, { id: "c" }] }],
    ["tenants with a stray comma", { XDR_RELAY_TENANTS: "a,,b," }, { ...file, tenants: [{ id: "a" }, { id: "b" }] }],
    [
      "tenants the file describes too, keeping its settings for them",
      { XDR_RELAY_TENANTS: "b,from-file.example" },
      { ...file, tenants: [{ id: "b" }, { id: "from-file.example" }] },
    ],
  ])("%s", (_, env, expected) => {
    expect(applyEnv(file, env)).toEqual(expected);
  });

  it("keeps a named tenant's queries, budget and credential from the file", () => {
    const described = { id: "contoso", queries: ["alert-info"], callsPerMinute: 90, credential: { kind: "managedIdentity" } };
    const merged = applyEnv({ tenants: [described, { id: "fabrikam" }] }, { XDR_RELAY_TENANTS: "contoso,woodgrove" });
    expect(merged).toEqual({ tenants: [described, { id: "woodgrove" }] });
  });

  it("finds a file's tenant named in another case (tenant GUIDs are case-insensitive)", () => {
    const described = { id: "aaaaaaaa-0000-0000-0000-000000000001", queries: ["mitre-tactics"], callsPerMinute: 10 };
    const merged = applyEnv({ tenants: [described] }, { XDR_RELAY_TENANTS: described.id.toUpperCase() });
    expect(merged).toEqual({ tenants: [described] });
  });

  it("leaves the file's settings untouched", () => {
    const before = structuredClone(file);
    applyEnv(file, { XDR_RELAY_DCR_ID: "dcr-env", XDR_RELAY_TENANTS: "x" });
    expect(file).toEqual(before);
  });

  it("gives a config that parses from the environment alone", () => {
    const env = {
      XDR_RELAY_INGESTION_ENDPOINT: "https://dce.example",
      XDR_RELAY_DCR_ID: "dcr-1",
      XDR_RELAY_TENANTS: "contoso.onmicrosoft.com",
    };
    const config = RelayConfig.parse(applyEnv({}, env));
    expect([config.ingestion.endpoint, config.ingestion.dcrId, config.tenants.map((t) => t.id)]).toEqual([
      "https://dce.example",
      "dcr-1",
      ["contoso.onmicrosoft.com"],
    ]);
  });
});

describe("formatConfigIssues", () => {
  const messages = (input: unknown): string[] => {
    const result = RelayConfig.safeParse(input);
    if (result.success) throw new Error("expected the config to be refused");
    return formatConfigIssues(result.error).split("\n");
  };

  it.each([
    [
      "a section that is not an object",
      { ...file, ingestion: "dce" },
      "ingestion",
      "XDR_RELAY_INGESTION_ENDPOINT and XDR_RELAY_DCR_ID",
    ],
    ["a missing tenant list", { ingestion: file.ingestion }, "tenants", "XDR_RELAY_TENANTS"],
    ["a bad tenant id", { ...file, tenants: [{ id: "a b" }] }, "tenants.0.id", "XDR_RELAY_TENANTS"],
    [
      "a bad endpoint",
      { ...file, ingestion: { ...file.ingestion, endpoint: "dce" } },
      "ingestion.endpoint",
      "XDR_RELAY_INGESTION_ENDPOINT",
    ],
    ["an empty rule id", { ...file, ingestion: { ...file.ingestion, dcrId: "" } }, "ingestion.dcrId", "XDR_RELAY_DCR_ID"],
    [
      "a rule id left as the docs' placeholder",
      { ...file, ingestion: { ...file.ingestion, dcrId: "dcr-<immutable id>" } },
      "ingestion.dcrId",
      "XDR_RELAY_DCR_ID",
    ],
    ["a bad queue kind", { ...file, queue: { kind: "kafka" } }, "queue.kind", "XDR_RELAY_QUEUE"],
    [
      "a missing connection string",
      { ...file, queue: { kind: "servicebus" } },
      "queue.serviceBusConnectionString",
      "XDR_RELAY_SERVICEBUS_CONNECTION_STRING",
    ],
    ["a bad auth mode", { ...file, auth: "key" }, "auth", "XDR_RELAY_AUTH"],
  ])("names the setting and its variable for %s", (_, input, path, env) => {
    const [line, ...rest] = messages(input);
    expect(rest).toEqual([]);
    expect(line).toMatch(new RegExp(`^ {2}- ${path.replace(/\./g, "\\.")}: .+ \\(set it in the config file or with ${env}\\)$`));
  });

  it.each([
    ["a setting with no variable", { ...file, hunting: { maxAttempts: 0 } }, "  - hunting.maxAttempts: "],
    ["an unknown key at the top", { ...file, typo: 1 }, '  - (root): Unrecognized key: "typo"'],
    [
      "a tenant's own call budget (the file alone sets it)",
      { ...file, tenants: [{ id: "a", callsPerMinute: 0 }] },
      "  - tenants.0.callsPerMinute: ",
    ],
  ])("names %s without inventing a variable", (_, input, start) => {
    const [line] = messages(input);
    expect(line?.startsWith(start)).toBe(true);
    expect(line).not.toContain("XDR_RELAY_");
  });

  it("names each required setting of a missing section, with its variable", () => {
    expect(messages({ tenants: file.tenants })).toEqual([
      "  - ingestion.endpoint: must be a URL such as https://<dce>.<region>.ingest.monitor.azure.com (set it in the config file or with XDR_RELAY_INGESTION_ENDPOINT)",
      "  - ingestion.dcrId: required (set it in the config file or with XDR_RELAY_DCR_ID)",
    ]);
  });

  it.each([
    [
      "a misspelt key",
      { ...file, hunting: { callsPerMinue: 30 } },
      '  - hunting: Unrecognized key: "callsPerMinue" — did you mean "callsPerMinute"?',
    ],
    ["a key in the wrong case", { ...file, Schedule: {} }, '  - (root): Unrecognized key: "Schedule" — did you mean "schedule"?'],
    [
      "a tenant's misspelt key",
      { ...file, tenants: [{ id: "a.example", querys: ["alert-info"] }] },
      '  - tenants.0: Unrecognized key: "querys" — did you mean "queries"?',
    ],
    ["a key like none", { ...file, hunting: { colour: 1 } }, '  - hunting: Unrecognized key: "colour"'],
    ["a short key two letters off", { ...file, tenants: [{ id: "a.example", xy: 1 }] }, '  - tenants.0: Unrecognized key: "xy"'],
    [
      "two keys, one close",
      { ...file, queue: { maxDeliveryCont: 3, colour: 1 } },
      '  - queue: Unrecognized keys: "maxDeliveryCont", "colour" — did you mean "maxDeliveryCount" for "maxDeliveryCont"?',
    ],
  ])("suggests the setting meant for %s", (_, input, line) => {
    const result = RelayConfig.safeParse(input);
    if (result.success) throw new Error("expected the config to be refused");
    expect(formatConfigIssues(result.error, RelayConfig).split("\n")).toEqual([line]);
  });

  it("says what a rule id looks like when given a placeholder", () => {
    expect(messages({ ...file, ingestion: { ...file.ingestion, dcrId: "dcr-<immutable id>" } })).toEqual([
      '  - ingestion.dcrId: must be the rule\'s immutable id, "dcr-" and 32 hex digits (immutableId in the rule\'s JSON view), got "dcr-<immutable id>" (set it in the config file or with XDR_RELAY_DCR_ID)',
    ]);
  });

  it("says a duration is milliseconds, an instant wants ISO 8601, and which queries there are", () => {
    const result = RelayConfig.safeParse({
      ...file,
      schedule: { windowMs: "300000", startAt: "yesterday" },
      tenants: [{ id: "contoso", queries: [] }],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatConfigIssues(result.error).split("\n")).toEqual([
      "  - schedule.windowMs: Invalid input: expected number, received string (a number of milliseconds, without quotes: 300000 is 5 minutes)",
      "  - schedule.startAt: an instant in ISO 8601, in UTC, such as 2026-11-01T00:00:00Z",
      "  - tenants.0.queries: name at least one query: a built-in one (alert-info, alert-evidence, mitre-tactics, device-alert-events) or one of `queries`",
    ]);
  });

  it("gives one line per problem", () => {
    expect(messages({ ingestion: { endpoint: "dce", dcrId: "" }, tenants: [] })).toHaveLength(3);
  });
});
