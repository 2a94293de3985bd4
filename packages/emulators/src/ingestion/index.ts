export {
  type IngestionEmulator,
  type IngestionEmulatorOptions,
  ingestionMaxBodyBytes,
  startIngestionEmulator,
} from "./emulator.ts";
export type { IngestionFault, IngestionRejectWhen } from "./faults.ts";
export { ingestionApiVersions } from "./route.ts";
export {
  type DataCollectionRule,
  type DcrColumn,
  type DcrColumnType,
  type DcrStreamDeclaration,
  dcrColumnTypes,
} from "./rules.ts";
export { maxFieldValueBytes } from "./shape-rows.ts";
export type { IngestionStats, IngestionStreamStats } from "./stats.ts";
export { landedTimeGenerated, timeGeneratedMaxAgeMs, timeGeneratedMaxAheadMs } from "./time-generated.ts";
export { type LandedRow, openWorkspace, type Workspace, type WorkspaceReader } from "./workspace.ts";
