import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { applyEnv, formatConfigIssues, misspelledEnvVars, RelayConfig } from "@xdr-relay/core";
import { querySyntaxProblems } from "./kql-check.ts";

/** A configuration problem the operator must fix; the CLI prints it without a stack trace. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
}

export const defaultConfigFile = "xdr-relay.json";

/**
 * Reads the config file (JSON; `--config`, else `XDR_RELAY_CONFIG`, else `./xdr-relay.json` when it
 * exists), lays the `XDR_RELAY_*` environment variables over it, and validates the result once.
 */
export function loadConfig(options: {
  path?: string | undefined;
  env?: NodeJS.ProcessEnv;
  overrides?: Record<string, unknown>;
  /**
   * Settings a command does without, laid under the file and the environment (object by object):
   * any that the operator set wins, and is checked as usual.
   */
  defaults?: Record<string, unknown>;
  /** Where a warning goes (a variable that looks like a typo); default stderr. */
  warn?: (line: string) => void;
}): RelayConfig {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const { name, meant } of misspelledEnvVars(env)) {
    warn(`xdr-relay: ${name} is not a variable xdr-relay reads, and is ignored: did you mean ${meant}?`);
  }
  // Empty means unset, as for every other variable (`applyEnv`).
  const explicit = options.path ?? (env["XDR_RELAY_CONFIG"]?.trim() || undefined);
  const path = explicit ?? (existsSync(defaultConfigFile) ? defaultConfigFile : undefined);
  // Named in errors the way it was given, so the operator knows which setting to fix.
  const given = options.path !== undefined ? "--config" : explicit !== undefined ? "XDR_RELAY_CONFIG" : undefined;
  const fromFile = path ? readJson(resolve(path), given) : {};
  const merged = { ...layered(options.defaults ?? {}, applyEnv(fromFile, env)), ...options.overrides };
  const source = path
    ? `config file ${path} and XDR_RELAY_* variables`
    : `XDR_RELAY_* variables (no config file: none given with --config or XDR_RELAY_CONFIG, and no ${resolve(defaultConfigFile)})`;
  const result = RelayConfig.safeParse(merged);
  if (!result.success)
    throw new ConfigFileError(`invalid configuration (from ${source}):\n${formatConfigIssues(result.error, RelayConfig)}`);
  // After the schema, which already refused queries that set their own time filter: a query that
  // does not parse would otherwise be found only when its first window is dead-lettered (`BadQuery`).
  const syntax = querySyntaxProblems(result.data.queries);
  if (syntax.length > 0) throw new ConfigFileError(`invalid configuration (from ${source}):\n${syntax.join("\n")}`);
  return result.data;
}

/** `over` laid on `under`: objects merged key by key, any other value taken from `over` where it has one. */
function layered(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = merged[key];
    merged[key] = isPlainObject(below) && isPlainObject(value) ? layered(below, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readJson(path: string, given: string | undefined): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const from = given ? ` (from ${given})` : "";
    throw new ConfigFileError(`cannot read config file ${path}${from}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    // A byte-order mark (some Windows editors write one) is not JSON, and invisible in the error.
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigFileError(`config file ${path} is not valid JSON: ${withLineAndColumn((error as Error).message, text)}`);
  }
  // Valid JSON all the same: saying "not valid JSON" of `[]` sent the operator hunting for a typo.
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigFileError(
      `config file ${path} must hold one JSON object of settings ({ "tenants": [...], ... }), not ${jsonKind(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "string" ? "a string" : `a ${typeof value}`;
}

/** `JSON.parse` says where by character offset ("at position 19"); an editor wants a line and column. */
function withLineAndColumn(message: string, text: string): string {
  const at = /position (\d+)/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line}, column ${column})`;
}
