import type { HuntingColumn } from "../ports/hunting.ts";

/**
 * The hunting schema of the Defender tables the built-in queries read, as `runHuntingQuery` reports
 * it (names and order from Microsoft's schema reference, types per FACTS.md). It lets
 * `xdr-relay schema` work offline, before any credential exists, and is the one list a stand-in for
 * the hunting API can serve. A column missing here comes out in a live probe (`--live`) instead;
 * this list is only as current as its last review (late 2026).
 */
const columns = (spec: string): HuntingColumn[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [name = "", type = "String"] = entry.split(":");
      return { name, type };
    });

export const knownHuntingTables: Readonly<Record<string, readonly HuntingColumn[]>> = {
  AlertInfo: columns(`
    Timestamp:DateTime AlertId Title Category Severity ServiceSource DetectionSource AttackTechniques`),
  AlertEvidence: columns(`
    Timestamp:DateTime AlertId Title Categories AttackTechniques ServiceSource DetectionSource EntityType
    EvidenceRole EvidenceDirection FileName FolderPath SHA1 SHA256 FileSize:Int64 ThreatFamily RemoteIP RemoteUrl
    LocalIP AccountName AccountDomain AccountSid AccountObjectId AccountUpn DeviceId DeviceName NetworkMessageId
    EmailSubject Application ApplicationId:Int32 OAuthApplicationId ProcessCommandLine RegistryKey RegistryValueName
    RegistryValueData AdditionalFields Severity CloudResource CloudPlatform ResourceType ResourceID SubscriptionId`),
  /**
   * Deprecated (the table the original Logic App recipe read). Only the columns the built-in
   * `device-alert-events` query projects, typed as the other alert tables type them: *unconfirmed*
   * against a live tenant; use `--live` where the table still exists.
   */
  DeviceAlertEvents: columns(`
    Timestamp:DateTime AlertId Title Category Severity AttackTechniques DeviceId DeviceName FileName SHA1 RemoteUrl RemoteIP`),
};
