import { describe, expect, it } from "vitest";
import { huntingCredentials } from "./credentials.ts";

describe("huntingCredentials", () => {
  it("refuses auth none for a real hunting URL, so queries never go out unauthenticated", () => {
    const attempt = () => huntingCredentials("none", "https://graph.microsoft.com/v1.0/security/runHuntingQuery");
    expect(attempt).toThrow(
      expect.objectContaining({ name: "ConfigError", message: expect.stringContaining('use auth "azure"') }),
    );
  });

  it("gives no token source for a loopback emulator", () => {
    expect(huntingCredentials("none", "http://127.0.0.1:7071/runHuntingQuery")).toBeUndefined();
  });

  it("keeps one credential per tenant, so tokens are cached across windows", () => {
    const credentialFor = huntingCredentials("azure", "https://graph.microsoft.com/v1.0/security/runHuntingQuery");
    const tenant = "0f9e8d7c-6b5a-4321-8765-43210fedcba9";
    expect(credentialFor?.(tenant)).toBe(credentialFor?.(tenant));
    expect(credentialFor?.(tenant)).not.toBe(credentialFor?.("contoso"));
  });
});
