import { closestName, describeError, isConfigError } from "@xdr-relay/core";
import { usage } from "./command-line/command-table.ts";
import { options, parseCommandLine } from "./command-line/parse-command-line.ts";
import { backfillCommand } from "./commands/backfill.ts";
import { backfillCancelCommand } from "./commands/backfill-cancel.ts";
import { backfillStatusCommand } from "./commands/backfill-status.ts";
import { dlqCommand } from "./commands/dlq.ts";
import { dlqDropCommand } from "./commands/dlq-drop.ts";
import { runCommand, runDefaults } from "./commands/run.ts";
import { schemaCommand, schemaDefaults } from "./commands/schema.ts";
import { statusCommand } from "./commands/status.ts";
import { UsageError } from "./commands/usage-error.ts";
import { ConfigFileError, loadConfig } from "./config/load-config.ts";
import { queueOnlyDefaults, tenantFreeDefaults } from "./config/queue-only-defaults.ts";
import type { LogLevel } from "./wiring/logger.ts";

async function main(argv: string[]): Promise<number> {
  const { command, args, values } = parseCommandLine(argv);
  if (command === undefined) {
    console.log(usage);
    return values.help ? 0 : 2;
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
      return runCommand(loadConfig({ path: values.config, defaults: runDefaults(values.role) }), {
        role: values.role,
        untilIdle: values["until-idle"],
        logLevel,
        signal,
        statsEverySeconds: values["stats-every"],
      });
    case "backfill":
      return backfillCommand(loadConfig({ path: values.config, defaults: queueOnlyDefaults }), {
        from: values.from,
        to: values.to,
        dryRun: values["dry-run"],
        again: values.again,
        watch: values.watch,
        logLevel,
        signal,
      });
    case "backfill status":
      return backfillStatusCommand(loadConfig({ path: values.config, defaults: tenantFreeDefaults }), {
        id: values.id,
        watch: values.watch,
        signal,
      });
    case "backfill cancel":
      return backfillCancelCommand(loadConfig({ path: values.config, defaults: tenantFreeDefaults }), { id: values.id });
    case "dlq list":
    case "dlq replay":
      return dlqCommand(loadConfig({ path: values.config, defaults: tenantFreeDefaults }), {
        action: command === "dlq list" ? "list" : "replay",
        queue: values.queue,
        max: values.max,
        reason: values.reason,
        full: values.full,
        signal,
      });
    case "dlq drop":
      return dlqDropCommand(loadConfig({ path: values.config, defaults: tenantFreeDefaults }), {
        queue: values.queue,
        reason: values.reason,
        max: values.max,
      });
    case "status":
      return statusCommand(loadConfig({ path: values.config, defaults: queueOnlyDefaults }), {
        check: values.check,
        json: values.json,
      });
    case "schema":
      return schemaCommand(loadConfig({ path: values.config, defaults: schemaDefaults(values.live) }), {
        query: args[0],
        live: values.live,
      });
  }
}

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

/** Ctrl-C or SIGTERM stops the roles gracefully: in-flight batches finish (or are put back) and are settled. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  let firstAt = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // A SIGTERM to a whole process group (`timeout`, systemd, a CI runner) reaches this process
      // and the npm wrapper, which passes it on: the second copy, moments later, is not a request
      // to force. A second Ctrl-C is.
      if (signal === "SIGTERM" && Date.now() - firstAt < sameStopMs) return;
      console.error(
        "forced: uploads and hunting calls in flight are dropped; their messages come back when their locks run out " +
          "(rows an upload landed meanwhile land again under the same RowId)",
      );
      process.exit(130);
    }
    firstAt = Date.now();
    console.error("stopping (again to force)...");
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return controller.signal;
}

/** How close a second SIGTERM may follow the first and still be the same stop, passed on by a wrapper. */
const sameStopMs = 2_000;

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
