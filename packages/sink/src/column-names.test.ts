import { describe, expect, it } from "vitest";
import { columnName, reservedRenames } from "./column-names.ts";

describe("columnName", () => {
  it.each([
    ["Title", "AlertTitle"],
    ["TenantId", "SourceTenantId"],
    ["Type", "SourceType"],
    ["id", "SourceId"],
    ["UniqueId", "SourceUniqueId"],
    ["_ResourceId", "SourceResourceId"],
    ["_SubscriptionId", "SourceSubscriptionId"],
    ["RowId", "HuntingRowId"],
    ["TimeGenerated", "HuntingTimeGenerated"],
    ["SourceTenant", "HuntingSourceTenant"],
    ["AlertId", "AlertId"],
    ["Account Upn", "Account_Upn"],
    ["Process.CommandLine-Full", "Process_CommandLine_Full"],
    ["1stSeen", "c1stSeen"],
    ["_private", "c_private"],
    ["A".repeat(60), "A".repeat(45)],
    ["9".repeat(60), `c${"9".repeat(44)}`],
  ])("maps %s to %s", (hunting, table) => {
    expect(columnName(hunting)).toBe(table);
  });

  it("always gives a name Log Analytics accepts", () => {
    const names = [...Object.keys(reservedRenames), "", " ", "é", "Défense", "x".repeat(100), "$type", "__x"];
    for (const name of names) {
      expect(columnName(name)).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,44}$/);
      expect(Object.keys(reservedRenames)).not.toContain(columnName(name));
    }
  });
});
