import { describe, expect, it } from "vitest";
import { runCli } from "./cli-process.ts";

describe("configuration errors", () => {
  it("names every missing setting and the variable that sets it, and exits 3", async () => {
    const result = await runCli(["run", "--until-idle"], { XDR_RELAY_DATA_DIR: "/tmp/never-used" });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("ingestion.endpoint");
    expect(result.stderr).toContain("XDR_RELAY_INGESTION_ENDPOINT");
    expect(result.stderr).toContain("ingestion.dcrId");
    expect(result.stderr).toContain("XDR_RELAY_DCR_ID");
    expect(result.stderr).toContain("tenants");
    expect(result.stderr).not.toContain("    at "); // no stack trace
  });

  it("refuses auth none for an endpoint that is not loopback", async () => {
    const result = await runCli(["run", "--until-idle"], {
      XDR_RELAY_DATA_DIR: "/tmp/never-used",
      XDR_RELAY_AUTH: "none",
      XDR_RELAY_INGESTION_ENDPOINT: "https://my-dce.westeurope-1.ingest.monitor.azure.com",
      XDR_RELAY_DCR_ID: "dcr-0123",
      XDR_RELAY_TENANTS: "contoso",
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/auth "none" is only for loopback/);
  });

  it("rejects a bad value with the allowed ones", async () => {
    const result = await runCli(["run"], { XDR_RELAY_QUEUE: "kafka", XDR_RELAY_DCR_ID: "d", XDR_RELAY_TENANTS: "t" });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/queue\.kind: .*"embedded".*"servicebus".*XDR_RELAY_QUEUE/);
  });

  it.each([
    ["yesterday", "not a time"],
    // Read in this machine's zone, it would move the range by the zone's offset without a word.
    ["2026-01-01T00:00:00", "a time without its zone"],
  ])("explains a bad command line (--from %s: %s) and exits 2", async (from) => {
    const result = await runCli(["backfill", "--from", from, "--to", "2026-01-01T00:00:00Z"], {
      XDR_RELAY_DATA_DIR: "/tmp/never-used",
      XDR_RELAY_INGESTION_ENDPOINT: "http://127.0.0.1:9",
      XDR_RELAY_DCR_ID: "d",
      XDR_RELAY_TENANTS: "contoso.onmicrosoft.com",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--from is not an ISO 8601 instant with its zone, e.g. 2026-11-01T00:00:00Z: "${from}"`);
  });
});

describe("command-line mistakes", () => {
  it("suggest the command or option meant, and print the whole usage only for an unknown command", async () => {
    const command = await runCli(["stauts"], {});
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "stauts" — did you mean "status"?');
    expect(command.stderr).toContain("usage:");

    const option = await runCli(["status", "--jsno"], {});
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option --jsno — did you mean --json?");
    expect(option.stderr).not.toContain("usage:");

    const value = await runCli(["status", "--log-level", "loud"], {});
    expect(value.code).toBe(2);
    expect(value.stderr.split("\n").filter(Boolean)).toEqual([
      'xdr-relay: --log-level must be debug, info, warn or error, got "loud"',
      "(`xdr-relay --help` lists the commands and their options)",
    ]);
  });

  it("refuse an option the command does not take, and demo sizes that crashed V8, before doing anything", async () => {
    const env = {
      XDR_RELAY_DATA_DIR: "/tmp/never-used",
      XDR_RELAY_INGESTION_ENDPOINT: "http://127.0.0.1:9",
      XDR_RELAY_DCR_ID: "d",
      XDR_RELAY_TENANTS: "t",
    };
    const [replay, demo] = await Promise.all([
      runCli(["dlq", "replay", "--queue", "windows", "--dry-run"], env),
      runCli(["demo", "--hours", "1e9"], env),
    ]);
    expect([replay.code, replay.stdout]).toEqual([2, ""]);
    expect(replay.stderr).toContain("xdr-relay: dlq replay does not take --dry-run; it takes --queue, --reason, --max");
    expect([demo.code, demo.stdout]).toEqual([2, ""]); // was a V8 out-of-memory crash, exit 133
    expect(demo.stderr).toContain('--hours must be a whole number from 1 to 696, got "1e9"');
  });
});
