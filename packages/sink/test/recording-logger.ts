import type { LogFields, Logger } from "@xdr-relay/core";

export interface LoggedEvent {
  readonly level: string;
  readonly event: string;
  readonly fields?: LogFields | undefined;
}

/** A logger that keeps what it is told, for tests that assert what an operator would read. */
export function recordingLogger(): Logger & { readonly events: LoggedEvent[] } {
  const events: LoggedEvent[] = [];
  const at = (level: string) => (event: string, fields?: LogFields) => void events.push({ level, event, fields });
  return { events, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
