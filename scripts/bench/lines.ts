import type { BacklogBenchResult } from "./backlog-bench.ts";
import type { FetchBenchResult } from "./fetch-bench.ts";
import { mb } from "./harness.ts";
import type { HistoryBenchResult } from "./history-bench.ts";
import type { QueueBenchResult } from "./queue-bench.ts";
import type { Line } from "./report.ts";
import type { SinkBenchResult } from "./sink-bench.ts";

/** The table's lines for each benchmark: ratios with their targets first, absolutes for context. */
export function fetchLines(r: FetchBenchResult): Line[] {
  const b = "fetch";
  return [
    { bench: b, figure: "fetcher rate / JSON.parse rate", value: r.rateRatio, unit: "×", target: { op: "≥", value: 0.5 } },
    { bench: b, figure: "peak RSS increase / response size", value: r.memoryRatio, unit: "×", target: { op: "<", value: 3 } },
    { bench: b, figure: "fetcher rate / download-only rate", value: r.downloadRatio, unit: "×" },
    { bench: b, figure: "download-only rate / JSON.parse rate", value: r.downloadToParseRatio, unit: "×" },
    { bench: b, figure: "JSON.parse+row ids rate / JSON.parse rate", value: r.parseAndIdsRatio, unit: "×" },
    {
      bench: b,
      figure: `ceiling on SQLite, ${r.cores} cores: parse+ids+plain inserts`,
      value: r.sqliteCeilingRatio,
      unit: "×",
    },
    { bench: b, figure: "JSON.parse+JSON.stringify rate / JSON.parse", value: r.parseAndStringifyRatio, unit: "×" },
    { bench: b, figure: "fetcher (GraphHuntingClient+handleWindow)", value: r.fetcherRowsPerS, unit: "rows/s" },
    { bench: b, figure: "JSON.parse of the body", value: r.parseRowsPerS, unit: "rows/s" },
    { bench: b, figure: "download only (emulator ceiling)", value: r.downloadRowsPerS, unit: "rows/s" },
    { bench: b, figure: "fetcher time", value: r.fetcherMs.total, unit: "ms" },
    { bench: b, figure: "  in the hunting call (download+parse)", value: r.fetcherMs.huntingCall, unit: "ms" },
    { bench: b, figure: "  in the queue's sends", value: r.fetcherMs.queueSends, unit: "ms" },
    { bench: b, figure: "  elsewhere (row ids, messages)", value: r.fetcherMs.other, unit: "ms" },
    { bench: b, figure: "row ids alone, after JSON.parse", value: r.rowIdMs, unit: "ms" },
    { bench: b, figure: "rows into a plain SQLite table", value: r.plainStoreMs, unit: "ms" },
    { bench: b, figure: "emulator's first rendering (before trials)", value: r.emulatorRenderMs, unit: "ms" },
    { bench: b, figure: `window rows (${r.runs} runs)`, value: r.rows, unit: "rows" },
    { bench: b, figure: "response size", value: mb(r.responseBytes), unit: "MiB" },
    { bench: b, figure: "fetcher peak RSS increase", value: mb(r.fetcherPeakRssIncreaseBytes), unit: "MiB" },
    { bench: b, figure: "JSON.parse peak RSS increase", value: mb(r.parsePeakRssIncreaseBytes), unit: "MiB" },
  ];
}

export function sinkLines(r: SinkBenchResult): Line[] {
  const b = "sink";
  return [
    { bench: b, figure: "sink rate / stringify+gzip rate", value: r.rateRatio, unit: "×", target: { op: "≥", value: 0.7 } },
    { bench: b, figure: "upload calls / ideal ⌈bytes/1 MB⌉", value: r.callsVsIdeal, unit: "×", target: { op: "≤", value: 1.05 } },
    { bench: b, figure: "upload calls / row (recipe: 1)", value: r.callsPerRow, unit: "calls" },
    { bench: b, figure: "sink (consume+handleRows → emulator)", value: r.sinkRowsPerS, unit: "rows/s" },
    { bench: b, figure: "JSON.stringify + gzipSync in-process", value: r.baseline.rowsPerS, unit: "rows/s" },
    { bench: b, figure: "SDK upload alone / stringify+gzip rate", value: r.sdkFloorRatio, unit: "×" },
    { bench: b, figure: "SDK upload alone (to a discarding server)", value: r.sdkFloor.rowsPerS, unit: "rows/s" },
    { bench: b, figure: "minimal sink (parse+SDK, no queue) / stringify+gzip", value: r.minimalSinkRatio, unit: "×" },
    { bench: b, figure: "minimal sink (parse+SDK, no queue)", value: r.sdkFloor.minimalSinkRowsPerS, unit: "rows/s" },
    {
      bench: b,
      figure: "minimal sink into the emulator / stringify+gzip",
      value: r.minimalSinkIntoEmulatorRatio,
      unit: "×",
    },
    {
      bench: b,
      figure: `ceiling on SQLite, ${r.cores} cores: minimal+plain+unzip`,
      value: r.sqliteCeilingRatio,
      unit: "×",
    },
    {
      bench: b,
      figure: `ceiling on SQLite, ${r.cores} cores: minimal+plain+emulator`,
      value: r.emulatorCeilingRatio,
      unit: "×",
    },
    {
      bench: b,
      figure: `ceiling with no queue, ${r.cores} cores: minimal+emulator`,
      value: r.noQueueCeilingRatio,
      unit: "×",
    },
    {
      bench: b,
      figure: "sink into a discarding server / stringify+gzip",
      value: r.intoDiscardingRatio,
      unit: "×",
    },
    { bench: b, figure: "CPU per row: sink process", value: r.cpuPerRowUs.sink, unit: "µs" },
    { bench: b, figure: "CPU per row: ingestion emulator", value: r.cpuPerRowUs.emulator, unit: "µs" },
    { bench: b, figure: `CPU per row the target allows (${r.cores} cores)`, value: r.cpuPerRowUs.targetAllows, unit: "µs" },
    { bench: b, figure: "plain SQLite table: receive", value: r.plainTable.receivePerS, unit: "rows/s" },
    { bench: b, figure: "plain SQLite table: complete", value: r.plainTable.completePerS, unit: "rows/s" },
    { bench: b, figure: "gunzip + JSON.parse (least emulator work)", value: r.baseline.unzipParseRowsPerS, unit: "rows/s" },
    { bench: b, figure: `rows drained (${r.runs} runs)`, value: r.rows, unit: "rows" },
    { bench: b, figure: "rows accepted by the emulator", value: r.rowsAccepted, unit: "rows" },
    { bench: b, figure: "two sink processes on one queue / one", value: r.twoSinks.ratioToOne, unit: "×" },
    { bench: b, figure: "two sink processes on one queue", value: r.twoSinks.rowsPerS, unit: "rows/s" },
    { bench: b, figure: "two sink processes: rows accepted", value: r.twoSinks.rowsAccepted, unit: "rows" },
    { bench: b, figure: "two sink processes: CPU per row, both", value: r.twoSinks.cpuUsPerRow, unit: "µs" },
    { bench: b, figure: "upload calls / ideal calls", value: r.uploadCalls, unit: `/ ${r.idealCalls}` },
    {
      bench: b,
      figure: "uncompressed / gzipped JSON",
      value: mb(r.baseline.uncompressedBytes),
      unit: `MiB / ${mb(r.baseline.gzippedBytes).toFixed(1)} MiB`,
    },
    { bench: b, figure: "sink process peak RSS", value: mb(r.sinkPeakRssBytes), unit: "MiB" },
    { bench: b, figure: "queue preload (20k-row sends)", value: r.preloadRowsPerS, unit: "rows/s" },
  ];
}

export function backlogLines(r: BacklogBenchResult): Line[] {
  const b = "backlog";
  return [
    { bench: b, figure: "peak RSS of the sink process", value: mb(r.peakRssBytes), unit: "MiB", target: { op: "<", value: 512 } },
    { bench: b, figure: "RSS last third / first third", value: r.growth, unit: "×", target: { op: "≤", value: 1.1 } },
    { bench: b, figure: "backlog rows", value: r.backlogRows, unit: "rows" },
    { bench: b, figure: "rows drained", value: r.drainedRows, unit: `rows in ${(r.drainMs / 1000).toFixed(0)} s` },
    { bench: b, figure: "preload time", value: r.preloadMs / 1000, unit: "s" },
  ];
}

export function queueLines(r: QueueBenchResult): Line[] {
  const b = "queue";
  const phases = [
    ["send (5,000-message batches)", "sendPerS"],
    ["receive (2,500 per call)", "receivePerS"],
    ["complete (a received batch at once)", "completePerS"],
  ] as const;
  return [
    ...phases.map(([name, key]) => ({ bench: b, figure: `${name} / plain table`, value: r.ratio[key], unit: "×" })),
    ...phases.map(([name, key]) => ({
      bench: b,
      figure: name,
      value: r.queue[key],
      unit: `msgs/s (plain ${Math.round(r.baseline[key])})`,
    })),
  ];
}

export function historyLines(r: HistoryBenchResult): Line[] {
  const b = "history";
  const remembered = `${(r.remembered / 1e6).toLocaleString("en-US")}M`;
  return [
    { bench: b, figure: `send rate, ${remembered} ids remembered / none`, value: r.ratio, unit: "×" },
    { bench: b, figure: "send, empty duplicate history", value: r.emptySendPerS, unit: "msgs/s" },
    { bench: b, figure: `send, ${remembered} ids remembered`, value: r.rememberingSendPerS, unit: "msgs/s" },
    {
      bench: b,
      figure: `longest send, ${remembered} ids expired / none`,
      value: r.expiredLongestSendMs / r.emptyLongestSendMs,
      unit: "×",
    },
    { bench: b, figure: `longest send, ${remembered} ids expired`, value: r.expiredLongestSendMs, unit: "ms" },
    { bench: b, figure: "longest send, empty history", value: r.emptyLongestSendMs, unit: "ms" },
    { bench: b, figure: `messages sent per trial (${r.runs} runs)`, value: r.messages, unit: "msgs" },
    { bench: b, figure: "history preload (one SQL transaction)", value: r.preloadMs / 1000, unit: "s" },
  ];
}
