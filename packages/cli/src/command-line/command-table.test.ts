import { describe, expect, it } from "vitest";
import { type CommandName, commandTable, globalOptions, optionsOf, usage } from "./command-table.ts";
import { options } from "./parse-command-line.ts";

const commands = Object.keys(commandTable) as CommandName[];

describe("the command table", () => {
  it("names only options the parser knows, and every option it knows is taken somewhere", () => {
    const taken = new Set([...globalOptions, ...commands.flatMap(optionsOf)]);
    expect([...taken].sort()).toEqual(Object.keys(options).sort());
  });

  it("reads each command's options from its synopsis, and the global ones from the options section", () => {
    expect(optionsOf("dlq replay")).toEqual(["queue", "reason", "max"]);
    expect(optionsOf("schema")).toEqual(["live"]);
    expect(globalOptions).toEqual(["config", "log-level", "help"]);
  });

  it("prints every command in the usage with its synopsis", () => {
    for (const command of commands) expect(usage).toContain(`  xdr-relay ${command} ${commandTable[command].synopsis}\n`);
  });
});
