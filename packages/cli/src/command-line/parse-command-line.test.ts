import { describe, expect, it } from "vitest";
import { UsageError } from "../commands/usage-error.ts";
import { type CommandName, commandTable, globalOptions, optionsOf } from "./command-table.ts";
import { options, parseCommandLine } from "./parse-command-line.ts";

/** A UsageError whose message is (or matches) `message`. */
const usageError = (message: unknown) => expect.objectContaining({ name: UsageError.name, message });

/** A command line naming `option` once, with a value if it takes one. */
function withOption(command: CommandName, option: string): string[] {
  const value = options[option as keyof typeof options].type === "string" ? ["x"] : [];
  return [...command.split(" "), ...(command === "schema" ? ["alert-info"] : []), `--${option}`, ...value];
}

describe("parseCommandLine: each command takes its own options and the global ones, no other", () => {
  it("refuses a dry run where there is none, so `dlq replay` and `run` do not go ahead for real", () => {
    expect(() => parseCommandLine(["dlq", "replay", "--queue", "windows", "--dry-run"])).toThrow(
      usageError("dlq replay does not take --dry-run; it takes --queue, --reason, --max (and --config, --log-level, --help)"),
    );
    expect(() => parseCommandLine(["run", "--dry-run"])).toThrow(
      usageError("run does not take --dry-run; it takes --role, --until-idle, --stats-every (and --config, --log-level, --help)"),
    );
  });

  const commands = Object.keys(commandTable) as CommandName[];
  const allOptions = Object.keys(options);

  it.each(commands)("%s refuses every option it does not take, naming it", (command) => {
    const foreign = allOptions.filter((o) => !optionsOf(command).includes(o) && !globalOptions.includes(o));
    expect(foreign.length).toBeGreaterThan(0);
    for (const option of foreign) {
      expect(() => parseCommandLine(withOption(command, option)), option).toThrow(
        usageError(expect.stringContaining(`${command} does not take --${option}; it takes `)),
      );
    }
  });

  it.each(commands)("%s accepts each of its own options and the global ones", (command) => {
    for (const option of [...optionsOf(command), "config", "log-level"]) {
      expect(parseCommandLine(withOption(command, option)).command, option).toBe(command);
    }
  });

  it("reads the command's action and the words after it", () => {
    expect(parseCommandLine(["backfill", "status", "--id", "b-1"])).toMatchObject({ command: "backfill status", args: [] });
    expect(parseCommandLine(["schema", "alert-info", "--live"])).toMatchObject({ command: "schema", args: ["alert-info"] });
    expect(parseCommandLine(["dlq", "list", "--full"]).values.full).toBe(true);
  });

  it("refuses a dlq without its action, a backfill with a word it does not know, and an unknown command", () => {
    expect(() => parseCommandLine(["dlq", "--queue", "rows"])).toThrow(
      usageError('dlq needs an action: list, replay or drop, got ""'),
    );
    expect(() => parseCommandLine(["backfill", "stauts"])).toThrow(
      usageError('backfill takes --from and --to, or "status" or "cancel"; got "stauts" — did you mean "backfill status"?'),
    );
    expect(() => parseCommandLine(["dlq", "lst"])).toThrow(
      usageError('dlq needs an action: list, replay or drop, got "lst" — did you mean "dlq list"?'),
    );
    expect(() => parseCommandLine(["backfill", "2026-11-01"])).toThrow(
      usageError('backfill takes --from and --to, or "status" or "cancel"; got "2026-11-01"'),
    );
    expect(() => parseCommandLine(["stauts"])).toThrow(usageError('unknown command "stauts" — did you mean "status"?'));
  });

  it("refuses words a command does not take, so `status check` does not run a status that never fails", () => {
    expect(() => parseCommandLine(["status", "check"])).toThrow(
      usageError('status takes no words after it, got "check" (options start with --)'),
    );
    expect(() => parseCommandLine(["backfill", "status", "b-1"])).toThrow(
      usageError('backfill status takes no words after it, got "b-1" (options start with --)'),
    );
    expect(() => parseCommandLine(["schema", "alert-info", "live"])).toThrow(
      usageError('schema takes only <query> after it, got "live" (options start with --)'),
    );
    expect(() => parseCommandLine(["run", "--role", "sink", "until-idle"])).toThrow(
      usageError(expect.stringContaining('run takes no words after it, got "until-idle"')),
    );
  });

  it("leaves --help and a bare `xdr-relay` to the usage, whatever else is given", () => {
    expect(parseCommandLine([]).command).toBeUndefined();
    expect(parseCommandLine(["run", "--dry-run", "--help"]).command).toBeUndefined();
  });
});

describe("parseCommandLine: an option given twice", () => {
  it.each([
    [["backfill", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--from", "2026-01-01T12:00:00Z"], "from"],
    [["backfill", "--from=A", "--to", "B", "--from", "C"], "from"],
    [["run", "--until-idle", "--until-idle"], "until-idle"],
    [["status", "--config", "a.json", "--config", "b.json"], "config"],
  ])("is refused instead of the last one counting: %j", (argv, option) => {
    expect(() => parseCommandLine(argv)).toThrow(usageError(`--${option} is given more than once; give it once`));
  });
});

describe("parseCommandLine: an empty --config", () => {
  it.each([[["status", "--config", ""]], [["run", "--config="]]])(
    "is refused instead of passing every config file over: %j",
    (argv) => {
      expect(() => parseCommandLine(argv)).toThrow(usageError("--config needs a file name, got an empty one"));
    },
  );
});
