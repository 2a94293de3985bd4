import { z } from "zod";
import { droppedTimestampAt } from "../logic/kql-stages.ts";
import { findOwnTimeFilter, ownTimeFilterMessage } from "../logic/kql-time-filter.ts";
import { mitreTactics } from "./mitre.ts";

/** A named hunting query and the DCR stream its rows go to. */
export const QueryDefinition = z
  .object({
    /** KQL without a time filter: the window adds `| where Timestamp >= ... and Timestamp < ...`. */
    kql: z
      .string()
      .min(1, "kql must not be empty")
      .superRefine((kql, ctx) => {
        const own = findOwnTimeFilter(kql);
        if (own) ctx.addIssue({ code: "custom", message: ownTimeFilterMessage(own) });
        const dropped = droppedTimestampAt(kql);
        if (dropped) {
          const message =
            `line ${dropped.line}, column ${dropped.column}: the query drops the Timestamp column; keep it. ` +
            "The relay adds `| where Timestamp >= datetime(start) and Timestamp < datetime(end)` for each window " +
            "and maps Timestamp to TimeGenerated: without it every window fails";
          ctx.addIssue({ code: "custom", message });
        }
      }),
    /** DCR stream name, `Custom-<Name>`; its table is `<Name>_CL`, which Log Analytics allows 63 characters. */
    stream: z
      .string()
      .regex(/^Custom-[A-Za-z][A-Za-z0-9_]*$/, "stream must look like Custom-<Name>")
      .max(
        "Custom-".length + 60,
        "stream's <Name> may have 60 characters at most: its table, <Name>_CL, may have 63 (the Tables API's limit)",
      ),
  })
  .strict();
export type QueryDefinition = z.infer<typeof QueryDefinition>;

/** The original recipe's filter: alerts whose category is one of the twelve ATT&CK tactics. */
const tacticFilter = `| where Category in (${mitreTactics.map((t) => `"${t}"`).join(", ")})`;

/** The queries every deployment has; users add their own (or override these) in config. */
export const builtInQueries: Readonly<Record<string, QueryDefinition>> = {
  "alert-info": {
    kql: "AlertInfo\n| project Timestamp, AlertId, Title, Category, Severity, ServiceSource, DetectionSource, AttackTechniques",
    stream: "Custom-XdrAlertInfo",
  },
  "alert-evidence": {
    kql: "AlertEvidence\n| project Timestamp, AlertId, Title, Categories, AttackTechniques, ServiceSource, DetectionSource, EntityType, EvidenceRole, EvidenceDirection, FileName, FolderPath, SHA256, RemoteIP, RemoteUrl, AccountName, AccountUpn, DeviceId, DeviceName",
    stream: "Custom-XdrAlertEvidence",
  },
  /** The "Logic App → Advanced Hunting → Send Data" recipe this project replaces, on today's table. */
  "mitre-tactics": {
    kql: `AlertInfo\n${tacticFilter}\n| project Timestamp, AlertId, Title, Category, Severity, ServiceSource, DetectionSource, AttackTechniques`,
    stream: "Custom-XdrMitreTactics",
  },
  /**
   * The same on `DeviceAlertEvents`, the table the original recipe read. Microsoft deprecated it in
   * favour of AlertInfo/AlertEvidence; only for tenants that still have it (elsewhere the service
   * answers 400 "Failed to resolve table" and the window is dead-lettered as a bad query).
   */
  "device-alert-events": {
    kql: `DeviceAlertEvents\n${tacticFilter}\n| project Timestamp, AlertId, Title, Category, Severity, AttackTechniques, DeviceId, DeviceName, FileName, SHA1, RemoteUrl, RemoteIP`,
    stream: "Custom-XdrDeviceAlertEvents",
  },
};
