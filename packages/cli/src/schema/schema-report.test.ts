import { describe, expect, it } from "vitest";
import { schemaReport } from "./schema-report.ts";

describe("schemaReport", () => {
  const report = schemaReport({
    query: "alert-info",
    stream: "Custom-XdrAlertInfo",
    source: "test",
    schema: [
      { name: "Timestamp", type: "DateTime" },
      { name: "Title", type: "String" },
      { name: "Count", type: "Int64" },
    ],
  });

  it("declares the stream with the added columns and reserved names renamed", () => {
    expect(report.streamDeclarations).toEqual({
      "Custom-XdrAlertInfo": {
        columns: [
          { name: "TimeGenerated", type: "datetime" },
          { name: "RowId", type: "string" },
          { name: "SourceTenant", type: "string" },
          { name: "XdrTruncatedColumns", type: "dynamic" },
          { name: "Timestamp", type: "datetime" },
          { name: "AlertTitle", type: "string" },
          { name: "Count", type: "long" },
        ],
      },
    });
    expect(report.ingestionStreams).toEqual(report.streamDeclarations);
  });

  it("gives the same columns for the table, in ARM's and az's spelling", () => {
    expect(report.table.name).toBe("XdrAlertInfo_CL");
    expect(report.table.columns.slice(0, 2)).toEqual([
      { name: "TimeGenerated", type: "dateTime" },
      { name: "RowId", type: "string" },
    ]);
    expect(report.azTableCreate).toContain(
      "--name XdrAlertInfo_CL --total-retention-time <days> --columns TimeGenerated=datetime RowId=string",
    );
    expect(report.azTableCreate).toContain("AlertTitle=string Count=long");
  });

  it("gives the rule's data flow from the stream to the table, which a custom table names Custom-<Table>_CL", () => {
    expect(report.dataFlows).toEqual([
      {
        streams: ["Custom-XdrAlertInfo"],
        destinations: ["<workspace destination name>"],
        transformKql: "source",
        outputStream: "Custom-XdrAlertInfo_CL",
      },
    ]);
  });
});
