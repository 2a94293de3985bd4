import { describe, expect, it } from "vitest";
import { columnName, columnNames, reservedRenames } from "./column-names.ts";

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

describe("columnNames", () => {
  it("tells apart two columns whose names differ only in case, as the table cannot hold both", () => {
    const mapped = columnNames(["DeviceName", "devicename"]);
    expect(mapped[0]).toBe("DeviceName"); // "D" comes before "d": it keeps the name
    expect(mapped[1]).toMatch(/^devicename_[0-9a-f]{6}$/);
    expect(new Set(mapped.map((n) => n.toLowerCase())).size).toBe(2);
  });

  it("decides by the names alone, whatever their order", () => {
    for (const names of [
      ["DeviceName", "devicename", "Title", "AlertTitle"],
      ["AlertTitle", "devicename", "Title", "DeviceName"],
    ]) {
      const mapped = new Map(names.map((n, i) => [n, columnNames(names)[i]]));
      expect(mapped.get("DeviceName")).toBe("DeviceName");
      expect(mapped.get("AlertTitle")).toBe("AlertTitle");
      expect(mapped.get("Title")).toMatch(/^AlertTitle_[0-9a-f]{6}$/);
    }
  });
});
