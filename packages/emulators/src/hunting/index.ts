/** The Graph advanced-hunting emulator: a synthetic Defender tenant served over loopback HTTP. */
export type { AlertCategory, EntityType } from "./alert-catalog.ts";
export type { AlertInfoRow } from "./alert-info-row.ts";
export type { HuntingCall, HuntingEmulatorOptions } from "./emulator-options.ts";
export type { AlertEvidenceRow } from "./evidence-row.ts";
export { type FaultKind, FaultQueue, type HuntingFault } from "./faults.ts";
export type { HuntingEmulatorStats } from "./hunting-desk.ts";
export { KqlError, parseHuntingQuery, type QueryPlan } from "./kql-subset.ts";
export { huntingMessages } from "./messages.ts";
export { type HuntingEmulator, startHuntingEmulator } from "./server.ts";
export { SyntheticTenant, type TableRow } from "./synthetic-tenant.ts";
export {
  type HuntingColumnType,
  type HuntingTableName,
  huntingTables,
  type SyntheticRow,
  type TableColumn,
  tableColumns,
} from "./tables.ts";
export type { AlertBurst, DelayRange, SyntheticTenantOptions } from "./tenant-options.ts";
export { parseTimespan } from "./timespan.ts";
