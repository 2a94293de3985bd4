import { RelayConfig } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { uncheckedStreams, warnUncheckedStreams } from "./unchecked-streams.ts";

const ingestion = { endpoint: "http://127.0.0.1:1", dcrId: "dcr-00000000000000000000000000000001" };

describe("uncheckedStreams", () => {
  it("names each stream a tenant's queries upload to without a declaration, once, with a query to print it", () => {
    const config = RelayConfig.parse({
      auth: "none",
      ingestion: {
        ...ingestion,
        streams: { "Custom-XdrAlertInfo": { columns: [{ name: "AlertId", type: "string" }] } },
      },
      tenants: [{ id: "a" }, { id: "b", queries: ["alert-evidence", "mitre-tactics"] }],
    });
    expect(uncheckedStreams(config)).toEqual([
      { stream: "Custom-XdrAlertEvidence", query: "alert-evidence" },
      { stream: "Custom-XdrMitreTactics", query: "mitre-tactics" },
    ]);
  });

  it("warns once per unchecked stream, saying what is lost and the command that prints the fix", () => {
    const config = RelayConfig.parse({ auth: "none", ingestion, tenants: [{ id: "a" }] });
    const lines: { event: string; fields: Record<string, unknown> }[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (event: string, fields: Record<string, unknown> = {}) => void lines.push({ event, fields }),
      error: () => undefined,
    };
    warnUncheckedStreams(config, logger);
    expect(lines.map((l) => l.fields["stream"])).toEqual(["Custom-XdrAlertInfo", "Custom-XdrAlertEvidence"]);
    expect(lines[0]).toMatchObject({
      event: "streamUnchecked",
      fields: { fix: expect.stringContaining("xdr-relay schema alert-info") },
    });
  });
});
