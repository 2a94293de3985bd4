import type { HuntingColumn } from "@xdr-relay/core";
import { type DcrColumn, streamColumns } from "@xdr-relay/sink";

/** Log Analytics table column types in ARM's spelling (the DCR's `datetime` is `dateTime` there). */
const armType = (type: DcrColumn["type"]): string => (type === "datetime" ? "dateTime" : type);

export interface SchemaReport {
  readonly query: string;
  /** Where the hunting schema came from: the offline table or a live probe. */
  readonly source: string;
  /** The DCR's `streamDeclarations` entry, to paste into the rule's `properties.streamDeclarations`. */
  readonly streamDeclarations: Record<string, { columns: DcrColumn[] }>;
  /**
   * The rule's `properties.dataFlows` entry that sends the stream to the table unchanged: the sink
   * already sets `TimeGenerated`, so the transform is `source`. `destinations` names the rule's
   * `destinations.logAnalytics` entry for the workspace, whose name the user chose.
   */
  readonly dataFlows: {
    streams: string[];
    destinations: string[];
    transformKql: "source";
    outputStream: string;
  }[];
  /** The table, as ARM's `Microsoft.OperationalInsights/workspaces/tables` `properties.schema` takes it. */
  readonly table: { name: string; columns: { name: string; type: string }[] };
  /**
   * The same table with the Azure CLI: fill in the resource group, the workspace and how many days
   * to keep the rows (`--total-retention-time`, up to 4,383; a table keeps its rows 30 days unless
   * told otherwise, and longer retention is why xdr-relay exists).
   */
  readonly azTableCreate: string;
  /** The same columns for `ingestion.streams` in xdr-relay's config, so the sink catches schema drift. */
  readonly ingestionStreams: Record<string, { columns: DcrColumn[] }>;
}

/**
 * Everything a query's rows need in Azure: the stream declaration and the table columns (one list,
 * so they cannot disagree), and the sink's own copy. The table is `<stream without Custom->_CL`,
 * the name the data flow's `outputStream` must then give.
 */
export function schemaReport(args: {
  query: string;
  stream: string;
  source: string;
  schema: readonly HuntingColumn[];
}): SchemaReport {
  const columns = streamColumns(args.schema);
  const table = `${args.stream.replace(/^Custom-/, "")}_CL`;
  const armColumns = columns.map((c) => ({ name: c.name, type: armType(c.type) }));
  const az =
    `az monitor log-analytics workspace table create --resource-group <rg> --workspace-name <workspace> --name ${table} ` +
    `--total-retention-time <days> --columns ${columns.map((c) => `${c.name}=${c.type}`).join(" ")}`;
  return {
    query: args.query,
    source: args.source,
    streamDeclarations: { [args.stream]: { columns } },
    dataFlows: [
      {
        streams: [args.stream],
        destinations: ["<workspace destination name>"],
        transformKql: "source",
        outputStream: `Custom-${table}`,
      },
    ],
    table: { name: table, columns: armColumns },
    azTableCreate: az,
    ingestionStreams: { [args.stream]: { columns } },
  };
}
