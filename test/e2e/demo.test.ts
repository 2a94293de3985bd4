import { describe, expect, it } from "vitest";
import { runCli, startCli } from "./cli-process.ts";
import { tempDirs } from "./temp-dir.ts";

const tempDir = tempDirs();

describe("xdr-relay demo", () => {
  it("carries every served row into the workspace exactly once, through injected faults and a re-sweep", async () => {
    const dir = tempDir("xdr-demo-");
    const result = await runCli(["demo", "--hours", "3", "--rows", "6000", "--data-dir", dir]);
    const lines = result.stdout.trim().split("\n");
    const last = lines.at(-1) ?? "";
    expect(result.code, result.stderr).toBe(0);
    const m = /^served=(\d+) ingested=(\d+) duplicates=(\d+) deadLettered=(\d+)$/.exec(last);
    expect(m, last).not.toBeNull();
    const [served, ingested, duplicates, deadLettered] = (m as RegExpExecArray).slice(1).map(Number);
    expect(served).toBeGreaterThan(5_000);
    expect(ingested).toBe(served);
    // The re-sweep fetches the last 2 h again: most of those rows are re-sent and must be dropped.
    expect(duplicates).toBeGreaterThan(1_000);
    expect(deadLettered).toBe(0);
    expect(result.stdout).toContain("alerts per MITRE ATT&CK tactic");
  });

  it("stops at Ctrl-C, says how far it got and exits 130, instead of running to its end", async () => {
    const dir = tempDir("xdr-demo-stop-");
    const demo = startCli(["demo", "--hours", "24", "--rows", "60000", "--data-dir", dir]);
    let stdout = "";
    await new Promise<void>((started) => {
      demo.child.stdout?.on("data", (d) => {
        stdout += d;
        if (stdout.includes("pass 1:")) started();
      });
    });
    await new Promise((wait) => setTimeout(wait, 1_500));
    demo.child.kill("SIGINT");
    const result = await demo.result;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain("stopping (again to force)...");
    expect(result.stdout).toMatch(/demo stopped after [\d.]+ s: [\d,]+ rows ingested so far/);
    expect(result.stdout).not.toContain("pass 2:");
    expect(result.stdout).not.toContain("summary");
  });
});
