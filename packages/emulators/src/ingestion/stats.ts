import type { ShapedRows } from "./shape-rows.ts";

/** What one stream received; the silent losses are what a pipeline must prevent or report. */
export interface IngestionStreamStats {
  calls: number;
  rowsAccepted: number;
  /** Undeclared property name → records that carried it (the service drops them without error). */
  columnsDropped: Record<string, number>;
  timeGeneratedReplaced: number;
  valuesTruncated: number;
  /** Values their column's type cannot hold (stored as null). */
  valuesNulled: number;
}

/**
 * Counters since the emulator started (not persisted: the workspace keeps only the rows). `calls`
 * counts every request to the upload route, answered or not, SDK retries included.
 */
export interface IngestionStats {
  calls: number;
  /** Calls that carried gzip, as the SDK always sends. */
  callsGzipped: number;
  rowsAccepted: number;
  /** Request body bytes as sent on the wire (compressed when gzipped). */
  bytesReceived: number;
  /** HTTP status → calls answered with it (anything but 204). */
  rejected: Record<number, number>;
  /** Dropped property occurrences, all streams. */
  columnsDropped: number;
  timeGeneratedReplaced: number;
  valuesTruncated: number;
  valuesNulled: number;
  /** Whether calls carried an `Authorization` header (the loopback client sends none). */
  authorization: { present: number; absent: number };
  streams: Record<string, IngestionStreamStats>;
}

export function emptyStats(): IngestionStats {
  return {
    calls: 0,
    callsGzipped: 0,
    rowsAccepted: 0,
    bytesReceived: 0,
    rejected: {},
    columnsDropped: 0,
    timeGeneratedReplaced: 0,
    valuesTruncated: 0,
    valuesNulled: 0,
    authorization: { present: 0, absent: 0 },
    streams: {},
  };
}

export function recordCall(stats: IngestionStats, call: { authorized: boolean; wireBytes: number; gzipped: boolean }): void {
  stats.calls++;
  stats.bytesReceived += call.wireBytes;
  if (call.gzipped) stats.callsGzipped++;
  if (call.authorized) stats.authorization.present++;
  else stats.authorization.absent++;
}

export function recordRejected(stats: IngestionStats, status: number): void {
  stats.rejected[status] = (stats.rejected[status] ?? 0) + 1;
}

export function recordAccepted(stats: IngestionStats, streamName: string, shaped: ShapedRows): void {
  const stream = stats.streams[streamName] ?? emptyStreamStats();
  stats.streams[streamName] = stream;
  stream.calls++;
  stream.rowsAccepted += shaped.rows.length;
  stream.timeGeneratedReplaced += shaped.timeGeneratedReplaced;
  stream.valuesTruncated += shaped.valuesTruncated;
  stream.valuesNulled += shaped.valuesNulled;
  for (const [column, count] of shaped.columnsDropped) {
    stream.columnsDropped[column] = (stream.columnsDropped[column] ?? 0) + count;
    stats.columnsDropped += count;
  }
  stats.rowsAccepted += shaped.rows.length;
  stats.timeGeneratedReplaced += shaped.timeGeneratedReplaced;
  stats.valuesTruncated += shaped.valuesTruncated;
  stats.valuesNulled += shaped.valuesNulled;
}

function emptyStreamStats(): IngestionStreamStats {
  return { calls: 0, rowsAccepted: 0, columnsDropped: {}, timeGeneratedReplaced: 0, valuesTruncated: 0, valuesNulled: 0 };
}
