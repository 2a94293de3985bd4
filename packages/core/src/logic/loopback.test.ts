import { describe, expect, it } from "vitest";
import { isLoopbackUrl } from "./loopback.ts";

describe("isLoopbackUrl", () => {
  it.each([
    ["http://127.0.0.1:8080/v1.0/security/runHuntingQuery", true],
    ["https://127.10.20.30", true],
    ["http://127.1:80", true],
    ["http://localhost:3000", true],
    ["http://LOCALHOST", true],
    ["http://[::1]:9000/x", true],
    ["https://graph.microsoft.com/v1.0/security/runHuntingQuery", false],
    ["https://dce.westeurope-1.ingest.monitor.azure.com", false],
    ["http://127.0.0.1.attacker.example", false],
    ["http://localhost.attacker.example", false],
    ["http://attacker.example/?next=http://127.0.0.1", false],
    ["http://user@attacker.example#@127.0.0.1", false],
    ["http://128.0.0.1", false],
    ["http://10.0.0.1", false],
    ["http://[::2]", false],
  ])("%s → %s", (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});
