import { streamColumns } from "../../packages/sink/src/index.ts";
import { benchColumns, benchStream } from "./bench-rows.ts";
import type { IngestionChildOptions } from "./emulator-child.ts";

/** The DCR the bench's ingestion emulator serves: the bench stream, every column declared. */
export const benchDcrId = "dcr-00000000000000000000000000000be4";

export function ingestionChildOptions(workspaceDir: string): IngestionChildOptions {
  const columns = streamColumns(benchColumns);
  const outputTable = `${benchStream.replace(/^Custom-/, "")}_CL`;
  return { workspaceDir, rules: [{ immutableId: benchDcrId, streams: { [benchStream]: { columns, outputTable } } }] };
}
