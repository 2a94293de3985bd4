import { CounterMetrics, type LogsIngestion, type RowMessage, silentLogger } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { handleRows, type SinkDeps } from "./row-batch-handler.ts";

/** Accepts every upload and records the RowIds it carried. */
class RecordingIngestion implements LogsIngestion {
  readonly rowIds: string[] = [];
  async upload(_rule: string, _stream: string, logs: Record<string, unknown>[]): Promise<void> {
    this.rowIds.push(...logs.map((l) => String(l["RowId"])));
  }
}

const message = (rowId: string, extra: Partial<RowMessage> = {}): RowMessage => ({
  version: 1,
  tenant: "contoso",
  query: "alert-evidence",
  stream: "Custom-XdrAlertEvidence",
  window: "contoso|alert-evidence|2026-11-26T10:00:00.000Z|2026-11-26T10:05:00.000Z",
  rowId,
  attempt: 0,
  row: { Timestamp: "2026-11-26T10:01:00Z", AlertId: "da1" },
  ...extra,
});

describe("handleRows: stand-ins for rows too large for a message", () => {
  it("dead-letters a tooLarge stand-in as RowTooLarge with its window and keys, and uploads the others", async () => {
    const client = new RecordingIngestion();
    const deps: SinkDeps = {
      client,
      dcrId: "dcr-1",
      uploadTimeoutMs: 5_000,
      batchMaxRows: 100,
      batchMaxBytes: 900_000,
      maxAttempts: 3,
      maxConcurrency: 1,
      now: () => 0,
      logger: silentLogger,
      metrics: new CounterMetrics(),
    };
    const big = message("b".repeat(32), { tooLarge: { bytes: 400_000, limitBytes: 262_144 } });
    const outcomes = await handleRows(deps, [message("a".repeat(32)), big]);
    expect(outcomes[0]).toEqual({ kind: "completed" });
    expect(outcomes[1]).toMatchObject({ kind: "deadLetter", reason: "RowTooLarge" });
    const description = (outcomes[1] as { description: string }).description;
    for (const part of [
      big.rowId,
      big.window,
      "400000 bytes",
      "262144-byte limit",
      "AlertId=da1",
      "Timestamp=2026-11-26T10:01:00Z",
    ]) {
      expect(description).toContain(part);
    }
    expect(client.rowIds).toEqual(["a".repeat(32)]);
  });
});
