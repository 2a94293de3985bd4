import { describe, expect, it } from "vitest";
import { RelayConfig } from "./config.ts";

const minimal = {
  ingestion: { endpoint: "https://dce.westeurope-1.ingest.monitor.azure.com", dcrId: "dcr-0123" },
  tenants: [{ id: "contoso.onmicrosoft.com" }],
};

describe("RelayConfig ingestion.streams and schemaDriftPolicy", () => {
  it("default to no declarations and the deadLetter policy", () => {
    expect(RelayConfig.parse(minimal).ingestion).toMatchObject({ streams: {}, schemaDriftPolicy: "deadLetter" });
  });

  it("take a stream's columns with DCR types", () => {
    const streams = { "Custom-XdrAlertInfo": { columns: [{ name: "RowId", type: "string" }] } };
    const config = RelayConfig.parse({ ...minimal, ingestion: { ...minimal.ingestion, streams, schemaDriftPolicy: "warn" } });
    expect(config.ingestion).toMatchObject({ streams, schemaDriftPolicy: "warn" });
  });

  it.each([
    ["a hunting type instead of a DCR type", { "Custom-X": { columns: [{ name: "A", type: "Int64" }] } }],
    ["no columns", { "Custom-X": { columns: [] } }],
    ["a typo in a column", { "Custom-X": { columns: [{ name: "A", typ: "string" }] } }],
  ])("refuse %s", (_, streams) => {
    expect(RelayConfig.safeParse({ ...minimal, ingestion: { ...minimal.ingestion, streams } }).success).toBe(false);
  });
});
