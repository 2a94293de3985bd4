import { parseArgs } from "node:util";
import { closestName, describeError, isConfigError } from "@xdr-relay/core";
import { backfillCommand } from "./commands/backfill.ts";
import { backfillCancelCommand } from "./commands/backfill-cancel.ts";
import { backfillStatusCommand } from "./commands/backfill-status.ts";
import { dlqCommand } from "./commands/dlq.ts";
import { runCommand } from "./commands/run.ts";
import { schemaCommand, schemaDefaults } from "./commands/schema.ts";
import { statusCommand } from "./commands/status.ts";
import { UsageError } from "./commands/usage-error.ts";
import { ConfigFileError, loadConfig } from "./config/load-config.ts";
import type { LogLevel } from "./wiring/logger.ts";

const usage = `xdr-relay — keep Defender XDR advanced-hunting data in Log Analytics

usage:
  xdr-relay demo [--hours 24] [--rows 60000] [--data-dir .xdr-relay/demo] [--no-faults]
      the whole pipeline on the embedded queue against loopback emulators
  xdr-relay run [--role scheduler|fetcher|sink|all] [--until-idle] [--stats-every 60]
      runs the roles; prints a progress line every --stats-every seconds (0: none)
  xdr-relay backfill --from <ISO> --to <ISO> [--dry-run] [--watch] [--again]
      prints the windows and hunting calls it will cost, enqueues them (not with --dry-run) on
      the backfill lane, fetched only while no scheduled window waits, and with --watch follows
      the fetch to its end; run again after a crash mid-enqueue, it sends the rest; windows an
      earlier backfill asked for are fetched again only with --again
  xdr-relay backfill status [--id <id>] [--watch]
      how far the latest backfill (or the one named) got; --watch follows it to its end
  xdr-relay backfill cancel --id <id>
      calls a backfill off: the fetchers drop its windows still queued, without a call
  xdr-relay status [--check] [--json]
      queue depths, dead letters, and how far each tenant's queries are enqueued;
      --check exits 1 when something needs an operator
  xdr-relay dlq list [--queue <queue>] [--full]
      each queue's dead letters by reason, with an example of each (--full: its text whole)
  xdr-relay dlq replay --queue windows|windows-backfill|rows [--max N]
  xdr-relay schema <query> [--live]
      the DCR stream declaration and table columns a query needs

options:
  --config <file>     JSON config file (default: $XDR_RELAY_CONFIG, else ./xdr-relay.json)
  --log-level <lvl>   debug|info|warn|error (default: warn; logs go to stderr as JSON lines)
  --help
`;

const options = {
  config: { type: "string" },
  role: { type: "string" },
  "until-idle": { type: "boolean", default: false },
  from: { type: "string" },
  to: { type: "string" },
  queue: { type: "string" },
  max: { type: "string" },
  hours: { type: "string" },
  rows: { type: "string" },
  "data-dir": { type: "string" },
  "no-faults": { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  again: { type: "boolean", default: false },
  watch: { type: "boolean", default: false },
  id: { type: "string" },
  live: { type: "boolean", default: false },
  check: { type: "boolean", default: false },
  "stats-every": { type: "string" },
  json: { type: "boolean", default: false },
  full: { type: "boolean", default: false },
  "log-level": { type: "string", default: "warn" },
  help: { type: "boolean", default: false },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const logLevel = parseLogLevel(values["log-level"]);
  const signal = stopSignal();
  switch (command) {
    case "demo": {
      // Loaded on demand: a production `run` never loads the emulators.
      const { demoCommand } = await import("./commands/demo.ts");
      return demoCommand({
        hours: values.hours,
        rows: values.rows,
        dataDir: values["data-dir"],
        faults: !values["no-faults"],
        logLevel,
        signal,
      });
    }
    case "run":
      return runCommand(loadConfig({ path: values.config }), {
        role: values.role,
        untilIdle: values["until-idle"],
        logLevel,
        signal,
        statsEverySeconds: values["stats-every"],
      });
    case "backfill":
      if (rest[0] === "status") {
        return backfillStatusCommand(loadConfig({ path: values.config }), { id: values.id, watch: values.watch, signal });
      }
      if (rest[0] === "cancel") return backfillCancelCommand(loadConfig({ path: values.config }), { id: values.id });
      if (rest.length > 0) {
        throw new UsageError(`backfill takes --from and --to, or "status" or "cancel"; got "${rest.join(" ")}"`);
      }
      return backfillCommand(loadConfig({ path: values.config }), {
        from: values.from,
        to: values.to,
        dryRun: values["dry-run"],
        again: values.again,
        watch: values.watch,
        logLevel,
        signal,
      });
    case "dlq":
      return dlqCommand(loadConfig({ path: values.config }), {
        action: rest[0],
        queue: values.queue,
        max: values.max,
        full: values.full,
      });
    case "status":
      return statusCommand(loadConfig({ path: values.config }), { check: values.check, json: values.json });
    case "schema":
      return schemaCommand(loadConfig({ path: values.config, defaults: schemaDefaults(values.live) }), {
        query: rest[0],
        live: values.live,
      });
    default: {
      const meant = closestName(command, commands);
      throw new UsageError(`unknown command "${command}"${meant ? ` — did you mean "${meant}"?` : ""}`, { showUsage: true });
    }
  }
}

const commands = ["demo", "run", "backfill", "status", "dlq", "schema"];
const helpHint = "(`xdr-relay --help` lists the commands and their options)";

/** `parseArgs`'s complaint in our words: an unknown option gets the one it probably meant. */
function commandLineProblem(error: Error, code: string): string {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || option === undefined) return error.message;
  const meant = closestName(option.replace(/^-+/, ""), Object.keys(options));
  return `unknown option ${option}${meant ? ` — did you mean --${meant}?` : ""}`;
}

function parseLogLevel(value: string): LogLevel {
  if (value === "debug" || value === "info" || value === "warn" || value === "error") return value;
  throw new UsageError(`--log-level must be debug, info, warn or error, got "${value}"`);
}

/** Ctrl-C or SIGTERM stops the roles gracefully: in-flight batches finish and are settled. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    console.error("stopping (again to force)...");
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return controller.signal;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      // The whole usage for a command we do not know; else the one line that says what is wrong.
      console.error(`xdr-relay: ${error.message}\n${error.showUsage ? `\n${usage}` : helpHint}`);
      process.exit(2);
    }
    const parseError = (error as { code?: string }).code;
    if ((error as Error).name === "TypeError" && parseError?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`xdr-relay: ${commandLineProblem(error as Error, parseError)}\n${helpHint}`);
      process.exit(2);
    }
    if (error instanceof ConfigFileError || isConfigError(error)) {
      console.error(`xdr-relay: ${(error as Error).message}`);
      process.exit(3);
    }
    console.error(`xdr-relay: ${describeError(error)}`);
    if (process.env["XDR_RELAY_DEBUG"]) console.error(error);
    process.exit(1);
  },
);
