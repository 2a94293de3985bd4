import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigFileError, loadConfig } from "./load-config.ts";

const dir = mkdtempSync(join(tmpdir(), "xdr-relay-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads a config file holding the minimal settings plus `queries`, with no XDR_RELAY_* variables. */
function load(queries: Record<string, { kql: string; stream: string }>) {
  const path = join(dir, `${Object.keys(queries).join("-") || "none"}.json`);
  const config = {
    ingestion: { endpoint: "https://dce.westeurope-1.ingest.monitor.azure.com", dcrId: "dcr-0123" },
    tenants: [{ id: "contoso.onmicrosoft.com", queries: ["alert-info", ...Object.keys(queries)] }],
    queries,
  };
  writeFileSync(path, JSON.stringify(config));
  return () => loadConfig({ path, env: {} });
}

describe("loadConfig: queries", () => {
  it("accepts queries that parse and leave time to the windows", () => {
    const kql = 'DeviceProcessEvents\n| where FileName =~ "powershell.exe"\n| project Timestamp, DeviceName, ProcessCommandLine';
    expect(load({ shells: { kql, stream: "Custom-Shells" } })().queries["shells"]?.kql).toBe(kql);
  });

  it("names the query and the position of a syntax error", () => {
    const broken = load({ broken: { kql: "AlertInfo\n| wher Severity == 'High'", stream: "Custom-Broken" } });
    expect(broken).toThrow(ConfigFileError);
    expect(broken).toThrow("queries.broken.kql: line 2, column 3: Query operator expected.");
  });

  it("refuses a query with its own time filter and says why", () => {
    const timed = load({ recent: { kql: "AlertInfo\n| where Timestamp > ago(1d)", stream: "Custom-Recent" } });
    expect(timed).toThrow(ConfigFileError);
    expect(timed).toThrow(/queries\.recent\.kql: line 2, column 9: the query sets its own time filter \("Timestamp >"\)/);
    expect(timed).toThrow("Timestamp >= datetime(start) and Timestamp < datetime(end)");
  });
});

describe("loadConfig: the file itself", () => {
  it("says where a JSON mistake is by line and column", () => {
    const path = join(dir, "broken.json");
    writeFileSync(path, '{\n  "tenants": [\n    { "id": "contoso.onmicrosoft.com", }\n  ]\n}\n');
    expect(() => loadConfig({ path, env: {} })).toThrow(/is not valid JSON: .*\(line 3, column \d+\)/);
  });

  it("says a file of valid JSON that is not an object must be one, not that it is invalid JSON", () => {
    const path = join(dir, "array.json");
    writeFileSync(path, '[{ "tenants": [{ "id": "contoso.onmicrosoft.com" }] }]\n');
    const load = () => loadConfig({ path, env: {} });
    expect(load).toThrow(ConfigFileError);
    expect(load).toThrow(`config file ${path} must hold one JSON object of settings`);
    expect(load).toThrow(/not an array$/);
    expect(load).not.toThrow(/not valid JSON/);
  });

  it("reads a file that starts with a byte-order mark", () => {
    const path = join(dir, "bom.json");
    const config = {
      ingestion: { endpoint: "https://dce.example", dcrId: "dcr-0123" },
      tenants: [{ id: "contoso.onmicrosoft.com" }],
    };
    writeFileSync(path, `\uFEFF${JSON.stringify(config)}`);
    expect(loadConfig({ path, env: {} }).tenants[0]?.id).toBe("contoso.onmicrosoft.com");
  });

  it("warns of a variable that is a typo of one it reads, and of no other variable under the prefix", () => {
    const warnings: string[] = [];
    const env = {
      XDR_RELAY_DATADIR: "/tmp/meant-as-data-dir",
      XDR_RELAY_BLOB_CONNECTION: "a secret a *Env setting may name",
      XDR_RELAY_TENANTS: "contoso.onmicrosoft.com",
      XDR_RELAY_INGESTION_ENDPOINT: "https://dce.example",
      XDR_RELAY_DCR_ID: "dcr-0123",
    };
    const config = loadConfig({ env, warn: (line) => warnings.push(line) });
    expect(config.dataDir).toBe(".xdr-relay");
    expect(warnings).toEqual([
      "xdr-relay: XDR_RELAY_DATADIR is not a variable xdr-relay reads, and is ignored: did you mean XDR_RELAY_DATA_DIR?",
    ]);
  });

  it("names the variable a missing file came from", () => {
    const path = join(dir, "absent.json");
    expect(() => loadConfig({ env: { XDR_RELAY_CONFIG: path } })).toThrow(
      `cannot read config file ${path} (from XDR_RELAY_CONFIG)`,
    );
    expect(() => loadConfig({ path, env: {} })).toThrow(`cannot read config file ${path} (from --config)`);
  });
});

describe("loadConfig: XDR_RELAY_CONFIG", () => {
  it.each(["", "  "])("takes an empty value (%j) as unset, as every other variable", (value) => {
    const config = loadConfig({
      env: {
        XDR_RELAY_CONFIG: value,
        XDR_RELAY_INGESTION_ENDPOINT: "https://dce.westeurope-1.ingest.monitor.azure.com",
        XDR_RELAY_DCR_ID: "dcr-0123456789abcdef0123456789abcdef",
        XDR_RELAY_TENANTS: "contoso.onmicrosoft.com",
      },
    });
    expect(config.tenants.map((t) => t.id)).toEqual(["contoso.onmicrosoft.com"]);
  });
});

describe("loadConfig: defaults a command does without", () => {
  it("fills only what the file and environment leave unset, object by object", () => {
    const path = join(dir, "partial.json");
    writeFileSync(path, JSON.stringify({ ingestion: { endpoint: "https://mine.example" } }));
    const defaults = { ingestion: { endpoint: "https://default.invalid", dcrId: "dcr-default" }, tenants: [{ id: "t" }] };
    const config = loadConfig({ path, env: { XDR_RELAY_TENANTS: "contoso.onmicrosoft.com" }, defaults });
    expect([config.ingestion.endpoint, config.ingestion.dcrId, config.tenants.map((t) => t.id)]).toEqual([
      "https://mine.example",
      "dcr-default",
      ["contoso.onmicrosoft.com"],
    ]);
  });
});
