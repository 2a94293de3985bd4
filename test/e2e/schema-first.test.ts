import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

/** The stream declaration's column names in `schema`'s JSON output. */
function declaredColumns(stdout: string): string[] {
  const report = JSON.parse(stdout) as { streamDeclarations: Record<string, { columns: { name: string }[] }> };
  return Object.values(report.streamDeclarations).flatMap((s) => s.columns.map((c) => c.name));
}

describe("xdr-relay schema before the rule or any tenant exists", () => {
  it("prints a built-in query's declaration with no configuration at all", async () => {
    const result = await runCli(["schema", "alert-info"], {});
    expect(result.code, result.stderr).toBe(0);
    expect(declaredColumns(result.stdout)).toEqual(expect.arrayContaining(["TimeGenerated", "RowId", "AlertTitle"]));
  });

  it("prints a custom query from a config file that has nothing else yet", async () => {
    const configFile = join(tempDir("xdr-schema-first-"), "xdr-relay.json");
    const kql = "AlertInfo | project Timestamp, AlertId, Severity";
    writeFileSync(configFile, JSON.stringify({ queries: { "my-alerts": { kql, stream: "Custom-MyAlerts" } } }));
    const result = await runCli(["schema", "my-alerts", "--config", configFile], {});
    expect(result.code, result.stderr).toBe(0);
    expect(declaredColumns(result.stdout)).toEqual(expect.arrayContaining(["Timestamp", "AlertId", "Severity", "RowId"]));
  });

  it("still checks what the operator did set", async () => {
    const result = await runCli(["schema", "alert-info"], { XDR_RELAY_DCR_ID: "dcr-<immutable id>" });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("ingestion.dcrId: must be the rule's immutable id");
    expect(result.stderr).not.toContain("ingestion.endpoint"); // what it does without is not asked for
  });
});
