import { z } from "zod";

/** A named hunting query and the DCR stream its rows go to. */
export const QueryDefinition = z
  .object({
    /** KQL without a time filter: the window adds `| where Timestamp >= ... and Timestamp < ...`. */
    kql: z.string().min(1, "kql must not be empty"),
    /** DCR stream name, `Custom-<Name>`. */
    stream: z.string().regex(/^Custom-[A-Za-z][A-Za-z0-9_]*$/, "stream must look like Custom-<Name>"),
  })
  .strict();
export type QueryDefinition = z.infer<typeof QueryDefinition>;

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
};
