import { mitreTactics } from "@xdr-relay/core";
import {
  type AlertCategory,
  allCategories,
  categoryProfiles,
  defenderCategories,
  type ServiceProfile,
  serviceProfiles,
  severities,
  severityWeights,
  tacticShare,
  threatFamilies,
} from "./alert-catalog.ts";
import { hashAt, pickAt, unitAt } from "./prng.ts";

/** What an alert's `AlertInfo` row and all of its `AlertEvidence` rows have in common. */
export interface AlertTraits {
  readonly timestamp: string;
  readonly alertId: string;
  readonly title: string;
  readonly category: AlertCategory;
  readonly severity: string;
  readonly service: ServiceProfile;
  readonly detectionSource: string;
  /** A JSON array as a string, e.g. `["Process Injection (T1055)"]`, or "" when there are none. */
  readonly attackTechniques: string;
  /** Set for malware-like categories, "" otherwise. */
  readonly threatFamily: string;
}

/** Field salts: each names one random choice, so adding a field never reshuffles the others. */
const salt = { category: 1, severity: 2, service: 3, detection: 4, title: 5, techniques: 6, family: 7, id: 8 } as const;

/** Milliseconds from 0001-01-01 to the Unix epoch: Defender alert ids embed the creation time in .NET ticks. */
const epochOffsetMs = 62_135_596_800_000;
const idPrefixes = ["da", "fa", "aa", "ca", "ed", "dc"];

/** The traits of alert `index` (its position in time order) of the tenant keyed `key`. */
export function alertTraits(key: number, index: number, timestampMs: number): AlertTraits {
  const category = pickCategory(key, index);
  const service = pickService(key, index);
  const threatFamily = isMalwareLike(category) ? pickAt(threatFamilies, key, index, salt.family) : "";
  const baseTitle = pickAt(categoryProfiles[category].titles, key, index, salt.title);
  return {
    timestamp: new Date(timestampMs).toISOString(),
    alertId: alertId(key, index, timestampMs, service),
    title: threatFamily ? `'${threatFamily}' ${baseTitle.charAt(0).toLowerCase()}${baseTitle.slice(1)}` : baseTitle,
    category,
    severity: severities[severityWeights.findIndex((w) => unitAt(key, index, salt.severity) < w)] ?? "Medium",
    service,
    detectionSource: pickAt(service.detectionSources, key, index, salt.detection),
    attackTechniques: techniques(key, index, category),
    threatFamily,
  };
}

function pickCategory(key: number, index: number): AlertCategory {
  const u = unitAt(key, index, salt.category);
  if (u < tacticShare) return allCategories[Math.floor((u / tacticShare) * 12)] ?? "Execution";
  return defenderCategories[Math.floor(((u - tacticShare) / (1 - tacticShare)) * defenderCategories.length)] ?? "Malware";
}

function pickService(key: number, index: number): ServiceProfile {
  const u = unitAt(key, index, salt.service);
  return serviceProfiles.find((s) => u < s.upTo) ?? (serviceProfiles[0] as ServiceProfile);
}

function isMalwareLike(category: AlertCategory): boolean {
  return category === "Malware" || category === "Ransomware" || category === "UnwantedSoftware";
}

/**
 * One or two techniques for a tactic; Defender's own categories often carry none, and then the
 * column is empty rather than `[]` (*unconfirmed*: what the service sends; consumers must cope).
 */
function techniques(key: number, index: number, category: AlertCategory): string {
  const pool = categoryProfiles[category].techniques;
  const h = hashAt(key, index, salt.techniques);
  const count = tactics.has(category) ? 1 + (h & 1) : (h >>> 1) % 3;
  if (count === 0) return "";
  const first = (h >>> 4) % pool.length;
  const cacheKey = `${category}/${first}/${count}`;
  let json = techniqueJson.get(cacheKey);
  if (json === undefined) {
    json = JSON.stringify([pool[first], pool[(first + 1) % pool.length]].slice(0, Math.min(count, pool.length)));
    techniqueJson.set(cacheKey, json);
  }
  return json;
}

const tactics: ReadonlySet<string> = new Set(mitreTactics);

/** The few distinct technique lists, serialised once: rows are built by the hundred thousand. */
const techniqueJson = new Map<string, string>();

/**
 * Shaped like Defender's `da637946470744433283_1138829734`: a prefix, .NET ticks, a number. Unique
 * because the sub-millisecond tick digits carry the alert's index (ticks exceed 2^53: built as text).
 */
function alertId(key: number, index: number, timestampMs: number, service: ServiceProfile): string {
  const ticks = `${epochOffsetMs + timestampMs}${String(index % 10_000).padStart(4, "0")}`;
  return `${idPrefixes[serviceProfiles.indexOf(service)] ?? "da"}${ticks}_${hashAt(key, index, salt.id) | 0}`;
}
