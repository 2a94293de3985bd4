import type { LogFields, Logger } from "@xdr-relay/core";

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;

/** One JSON object per line on stderr (stdout is for what the command reports). */
export function jsonLogger(minLevel: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (level: LogLevel) => (event: string, fields?: LogFields) => {
    if (levels[level] < levels[minLevel]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
