import type { EntityType } from "./alert-catalog.ts";
import type { AlertTraits } from "./alert-traits.ts";
import { fillEntity } from "./evidence-entities.ts";
import { pickAt } from "./prng.ts";
import type { TenantDirectory } from "./tenant-directory.ts";

/** Where an evidence row sits: its alert, its rank among the alert's evidence, its table-wide index. */
export interface EvidenceSlot {
  readonly alertIndex: number;
  readonly rank: number;
  readonly index: number;
}

/** Salt of the entity-type choice; evidence-entities.ts uses 202-210. */
const entitySalt = 201;

/** `Categories` of an alert's evidence: one JSON string per category, built once. */
const categoriesJson = new Map<string, string>();
function categoriesOf(category: string): string {
  let json = categoriesJson.get(category);
  if (json === undefined) {
    json = JSON.stringify([category]);
    categoriesJson.set(category, json);
  }
  return json;
}

/**
 * One `AlertEvidence` row. The first evidence of an alert is its impacted primary entity; the rest
 * are related entities from the same product's vocabulary. Columns an entity does not use are ""
 * (strings) or null (numbers), as Defender leaves them.
 */
export function evidenceRow(key: number, traits: AlertTraits, slot: EvidenceSlot, directory: TenantDirectory): AlertEvidenceRow {
  const { entityTypes } = traits.service;
  const entity: EntityType = slot.rank === 0 ? (entityTypes[0] ?? "Machine") : pickAt(entityTypes, key, slot.index, entitySalt);
  const row = blankRow(traits, entity, slot.rank === 0 ? "Impacted" : "Related");
  fillEntity(row, entity, { key, traits, slot, directory });
  return row;
}

/** All columns in schema order (so the object serialises in that order), none filled in for the entity yet. */
function blankRow(traits: AlertTraits, entity: EntityType, role: string) {
  return {
    Timestamp: traits.timestamp,
    AlertId: traits.alertId,
    Title: traits.title,
    Categories: categoriesOf(traits.category),
    AttackTechniques: traits.attackTechniques,
    ServiceSource: traits.service.name,
    DetectionSource: traits.detectionSource,
    EntityType: entity,
    EvidenceRole: role,
    EvidenceDirection: "",
    FileName: "",
    FolderPath: "",
    SHA1: "",
    SHA256: "",
    FileSize: null as number | null,
    ThreatFamily: "",
    RemoteIP: "",
    RemoteUrl: "",
    LocalIP: "",
    AccountName: "",
    AccountDomain: "",
    AccountSid: "",
    AccountObjectId: "",
    AccountUpn: "",
    DeviceId: "",
    DeviceName: "",
    NetworkMessageId: "",
    EmailSubject: "",
    Application: "",
    ApplicationId: null as number | null,
    OAuthApplicationId: "",
    ProcessCommandLine: "",
    RegistryKey: "",
    RegistryValueName: "",
    RegistryValueData: "",
    AdditionalFields: `{"Type":"${entity}","Role":"${role}"}`,
    Severity: traits.severity,
    CloudResource: "",
    CloudPlatform: "",
    ResourceType: "",
    ResourceID: "",
    SubscriptionId: "",
  };
}

export type AlertEvidenceRow = ReturnType<typeof blankRow>;
