import type { AlertTraits } from "./alert-traits.ts";

/** One `AlertInfo` row: the alert itself, one row per alert. */
export function alertInfoRow(traits: AlertTraits) {
  return {
    Timestamp: traits.timestamp,
    AlertId: traits.alertId,
    Title: traits.title,
    Category: traits.category,
    Severity: traits.severity,
    ServiceSource: traits.service.name,
    DetectionSource: traits.detectionSource,
    AttackTechniques: traits.attackTechniques,
  };
}

export type AlertInfoRow = ReturnType<typeof alertInfoRow>;
