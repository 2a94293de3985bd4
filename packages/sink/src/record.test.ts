import { rowIdOf } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { toRecord } from "./record.ts";

describe("toRecord", () => {
  it("stamps TimeGenerated from Timestamp, keeps Timestamp, adds RowId and SourceTenant, renames Title", () => {
    const row = {
      Timestamp: "2026-09-01T08:30:00.123Z",
      AlertId: "da638",
      Title: "Suspicious PowerShell",
      Category: "Execution",
    };
    const rowId = rowIdOf("contoso", "alert-info", row);
    const message = {
      version: 1,
      tenant: "contoso",
      query: "alert-info",
      stream: "Custom-XdrAlertInfo",
      window: "w",
      rowId,
      attempt: 0,
      row,
    } as const;
    expect(toRecord(message)).toStrictEqual({
      TimeGenerated: "2026-09-01T08:30:00.123Z",
      RowId: rowId,
      SourceTenant: "contoso",
      Timestamp: "2026-09-01T08:30:00.123Z",
      AlertId: "da638",
      AlertTitle: "Suspicious PowerShell",
      Category: "Execution",
    });
  });
});

describe("toRecord with hunting columns named like the sink's own", () => {
  it("keeps the sink's RowId, TimeGenerated and SourceTenant and moves the row's values aside", () => {
    const row = {
      Timestamp: "2026-09-01T08:30:00.000Z",
      RowId: "theirs",
      TimeGenerated: "2020-01-01T00:00:00Z",
      SourceTenant: "x",
    };
    const rowId = rowIdOf("contoso", "q", row);
    const record = toRecord({
      version: 1,
      tenant: "contoso",
      query: "q",
      stream: "Custom-X",
      window: "w",
      rowId,
      attempt: 0,
      row,
    });
    expect(record).toMatchObject({
      RowId: rowId,
      TimeGenerated: "2026-09-01T08:30:00.000Z",
      SourceTenant: "contoso",
      HuntingRowId: "theirs",
      HuntingTimeGenerated: "2020-01-01T00:00:00Z",
      HuntingSourceTenant: "x",
    });
  });
});
