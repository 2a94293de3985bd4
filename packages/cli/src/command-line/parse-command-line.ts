import { parseArgs } from "node:util";
import { closestName } from "@xdr-relay/core";
import { UsageError } from "../commands/usage-error.ts";
import { type CommandName, commandTable, globalOptions, optionsOf, wordsOf } from "./command-table.ts";

/** Every option any command takes, typed for `parseArgs`; which command takes which is in the command table. */
export const options = {
  config: { type: "string" },
  role: { type: "string" },
  "until-idle": { type: "boolean", default: false },
  from: { type: "string" },
  to: { type: "string" },
  queue: { type: "string" },
  max: { type: "string" },
  reason: { type: "string" },
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

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>["values"];

/** A command line made sense of: `command` undefined means print the usage (`--help`, or no command). */
export interface CommandLine {
  readonly command: CommandName | undefined;
  /** The words after the command (and its action): `schema`'s query. */
  readonly args: readonly string[];
  readonly values: Values;
}

/**
 * Reads argv and refuses, as usage errors, what parseArgs alone lets through: an option the command
 * does not take (`dlq replay --dry-run` would replay for real), words after the command it does not
 * take (`status check` would run a check that never fails), an option given twice (only the last
 * would count), and an empty `--config` (every config file would be passed over for the defaults).
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  const given = tokens.flatMap((t) => (t.kind === "option" ? [t.name] : []));
  const twice = given.find((name, i) => given.indexOf(name) !== i);
  if (twice !== undefined) throw new UsageError(`--${twice} is given more than once; give it once`);
  if (values.help || positionals.length === 0) return { command: undefined, args: [], values };
  const { command, args } = commandOf(positionals);
  const takes = optionsOf(command);
  const foreign = given.find((name) => !takes.includes(name) && !globalOptions.includes(name));
  if (foreign !== undefined) {
    const list = takes.length > 0 ? takes.map((name) => `--${name}`).join(", ") : "no options of its own";
    const everywhere = globalOptions.map((name) => `--${name}`).join(", ");
    throw new UsageError(`${command} does not take --${foreign}; it takes ${list} (and ${everywhere})`);
  }
  const words = wordsOf(command);
  if (args.length > words.length) {
    const takes = words.length > 0 ? `only ${words.map((w) => `<${w}>`).join(" ")}` : "no words";
    throw new UsageError(
      `${command} takes ${takes} after it, got "${args.slice(words.length).join(" ")}" (options start with --)`,
    );
  }
  if (values.config === "") throw new UsageError("--config needs a file name, got an empty one");
  return { command, args, values };
}

/** The command the positionals name (a word and, for `backfill` and `dlq`, an action), and the words after it. */
function commandOf(positionals: readonly string[]): { command: CommandName; args: string[] } {
  const [name = "", action, ...more] = positionals;
  const withAction = `${name} ${action}`;
  if (isCommand(withAction)) return { command: withAction, args: more };
  if (name === "dlq") {
    throw new UsageError(`dlq needs an action: list, replay or drop, got "${action ?? ""}"${actionMeant(name, action)}`);
  }
  if (name === "backfill" && action !== undefined) {
    throw new UsageError(
      `backfill takes --from and --to, or "status" or "cancel"; got "${positionals.slice(1).join(" ")}"${actionMeant(name, action)}`,
    );
  }
  if (isCommand(name)) return { command: name, args: positionals.slice(1) };
  const meant = closestName(name, commandWords);
  throw new UsageError(`unknown command "${name}"${meant ? ` — did you mean "${meant}"?` : ""}`, { showUsage: true });
}

const isCommand = (words: string): words is CommandName => Object.hasOwn(commandTable, words);

/** ` — did you mean "status"?` for `backfill stats`; empty when no action is close. */
function actionMeant(name: string, action: string | undefined): string {
  if (action === undefined) return "";
  const actions = Object.keys(commandTable).flatMap((c) => (c.startsWith(`${name} `) ? [c.slice(name.length + 1)] : []));
  const meant = closestName(action, actions);
  return meant ? ` — did you mean "${name} ${meant}"?` : "";
}

/** The first words of the commands: what an unknown command is compared with for a suggestion. */
const commandWords = [...new Set(Object.keys(commandTable).map((name) => name.split(" ")[0] as string))];
