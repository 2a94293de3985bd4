/**
 * Defaults for the settings a command that works on the queues and checkpoints alone never uses
 * (`status`, `dlq`, `backfill status|cancel`, `backfill`): the sink's endpoint and rule. Without
 * them a health probe or an operator's shell, which has the data directory and the tenants but
 * not the sink's settings, got a configuration fault (exit 3, and text where `--json` was asked
 * for) instead of the queues' state. Set ones are still validated as given.
 */
export const queueOnlyDefaults: Readonly<Record<string, unknown>> = {
  ingestion: { endpoint: "https://not-needed-by-this-command.invalid", dcrId: "dcr-not-needed-by-this-command" },
};

/** The tenants placeholder alone, for `run --role sink`: a sink host still needs its own settings. */
export const noTenantsNeeded: Readonly<Record<string, unknown>> = {
  // A domain in form (`.invalid` is never registered), so auth azure takes it as it takes a real one.
  tenants: [{ id: "not-needed-by-this-command.invalid" }],
};

/**
 * `queueOnlyDefaults` for the commands that do not need the tenants either: `dlq` (a dead letter
 * is listed, replayed or dropped as it is, whoever's rows it holds), `backfill status|cancel`
 * (a recorded backfill names its own tenants) and offline `schema`. An operator's shell with only the data directory
 * then reaches them in an incident. Tenants that are set replace this placeholder, and are checked
 * as given (`backfill status` times a tenant by its own budget where the config sets one).
 */
export const tenantFreeDefaults: Readonly<Record<string, unknown>> = {
  ...queueOnlyDefaults,
  ...noTenantsNeeded,
};
