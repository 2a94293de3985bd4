import { builtInQueries } from "@xdr-relay/core";
import { statsEveryMaxSeconds } from "../commands/stats-every.ts";
import { demoHours, demoRows } from "../demo/demo-size.ts";

/**
 * Every command, as the usage shows it. The table is also what a command line is checked against:
 * the `--options` a synopsis names are all that command takes (besides the global ones), so the
 * usage and the check cannot drift apart.
 */
interface CommandEntry {
  /** What follows `xdr-relay <command>` in the usage. */
  readonly synopsis: string;
  /** Lines printed under it. */
  readonly about: readonly string[];
}

export const commandTable = {
  demo: {
    synopsis: "[--hours 24] [--rows 60000] [--data-dir .xdr-relay/demo] [--no-faults]",
    about: [
      "the whole pipeline on the embedded queue against loopback emulators",
      `(--hours ${demoHours.min} to ${demoHours.max}, --rows ${demoRows.min} to ${demoRows.max}, whole numbers)`,
    ],
  },
  run: {
    synopsis: "[--role scheduler|fetcher|sink|all, or a list: fetcher,sink] [--until-idle] [--stats-every 60]",
    about: [`runs the roles; prints a progress line every --stats-every seconds (1 to ${statsEveryMaxSeconds}; 0: none)`],
  },
  backfill: {
    synopsis: "--from <ISO> --to <ISO> [--dry-run] [--watch] [--again]",
    about: [
      "prints the windows and hunting calls it will cost, enqueues them (not with --dry-run) on",
      "the backfill lane, fetched only while no scheduled window waits, and with --watch follows",
      "the fetch to its end; run again after a crash mid-enqueue, it sends the rest; windows an",
      "earlier backfill asked for are fetched again only with --again",
    ],
  },
  "backfill status": {
    synopsis: "[--id <id>] [--watch]",
    about: ["how far the latest backfill (or the one named) got; --watch follows it to its end"],
  },
  "backfill cancel": {
    synopsis: "--id <id>",
    about: ["calls a backfill off: the fetchers drop its windows still queued, without a call"],
  },
  status: {
    synopsis: "[--check] [--json]",
    about: [
      "queue depths, dead letters, and how far each tenant's queries are enqueued;",
      "--check exits 1 when something needs an operator",
    ],
  },
  "dlq list": {
    synopsis: "[--queue <queue>] [--full]",
    about: ["each queue's dead letters by reason, with an example of each (--full: its text whole)"],
  },
  "dlq replay": {
    synopsis: "--queue windows|windows-backfill|rows [--reason <reason>] [--max N]",
    about: ["sends dead letters back after a fix (those of one reason with --reason); Ctrl-C stops after the batch in hand"],
  },
  "dlq drop": {
    synopsis: "--queue <queue> --reason <reason> [--max N]",
    about: ["removes dead letters of one reason for good, e.g. WindowExpired (their rows are gone)"],
  },
  schema: {
    synopsis: "<query> [--live]",
    about: [
      "what a query's rows need in Azure: the rule's stream declaration and data flow, the table",
      "(with an az command), and the columns for ingestion.streams; --live asks a tenant instead",
      "of the known hunting schema. Queries: the config's own, or built in:",
      `${Object.keys(builtInQueries).join(", ")}`,
    ],
  },
} as const satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commandTable;

/** Options every command takes, as the usage shows them. */
const globalOptionLines = [
  "--config <file>     JSON config file (default: $XDR_RELAY_CONFIG, else ./xdr-relay.json)",
  "--log-level <lvl>   debug|info|warn|error (default: warn; logs go to stderr as JSON lines)",
  "--help",
] as const;

/** The `--names` a piece of usage text mentions, without their dashes. */
function optionsNamedIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1] as string);
}

export const globalOptions: readonly string[] = globalOptionLines.map((line) => optionsNamedIn(line)[0] as string);

/** The words `command` takes after its name, as its synopsis opens with them (`schema <query>`). */
export function wordsOf(command: CommandName): string[] {
  return [...(/^(?:<[^>]+>\s*)*/.exec(commandTable[command].synopsis)?.[0].matchAll(/<([^>]+)>/g) ?? [])].map(
    (m) => m[1] as string,
  );
}

/** The options `command` takes besides the global ones, in the order its usage shows them. */
export function optionsOf(command: CommandName): string[] {
  return [...new Set(optionsNamedIn(commandTable[command].synopsis))];
}

export const usage = `xdr-relay — keep Defender XDR advanced-hunting data in Log Analytics

usage:
${Object.entries(commandTable)
  .flatMap(([name, c]) => [`  xdr-relay ${name} ${c.synopsis}`, ...c.about.map((line) => `      ${line}`)])
  .join("\n")}

options:
${globalOptionLines.map((line) => `  ${line}`).join("\n")}
`;
