/**
 * The two Defender advanced-hunting tables the emulator serves, with the column names and order of
 * Microsoft's schema reference and the types `runHuntingQuery` reports for them in `schema`.
 */

export type HuntingTableName = "AlertInfo" | "AlertEvidence";

/** A column type as it appears in a result's `schema`. */
export type HuntingColumnType = "DateTime" | "String" | "Int64" | "Int32";

export interface TableColumn {
  readonly name: string;
  readonly type: HuntingColumnType;
}

/** A result row: column name to value. Dates are ISO strings; absent numbers are null. */
export type SyntheticRow = Record<string, string | number | null>;

const columns = (spec: string): TableColumn[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [name = "", type = "String"] = entry.split(":");
      return { name, type: type as HuntingColumnType };
    });

export const tableColumns: Readonly<Record<HuntingTableName, readonly TableColumn[]>> = {
  AlertInfo: columns(`
    Timestamp:DateTime AlertId Title Category Severity ServiceSource DetectionSource AttackTechniques`),
  AlertEvidence: columns(`
    Timestamp:DateTime AlertId Title Categories AttackTechniques ServiceSource DetectionSource EntityType
    EvidenceRole EvidenceDirection FileName FolderPath SHA1 SHA256 FileSize:Int64 ThreatFamily RemoteIP RemoteUrl
    LocalIP AccountName AccountDomain AccountSid AccountObjectId AccountUpn DeviceId DeviceName NetworkMessageId
    EmailSubject Application ApplicationId:Int32 OAuthApplicationId ProcessCommandLine RegistryKey RegistryValueName
    RegistryValueData AdditionalFields Severity CloudResource CloudPlatform ResourceType ResourceID SubscriptionId`),
};

export const huntingTables = Object.keys(tableColumns) as HuntingTableName[];

/** The table named `name` (KQL table names are case-sensitive), or undefined. */
export function huntingTable(name: string): HuntingTableName | undefined {
  return (huntingTables as string[]).includes(name) ? (name as HuntingTableName) : undefined;
}
