import { z } from "zod";
import { describeError } from "../errors.ts";
import type { CheckpointStore } from "../ports/checkpoint.ts";
import type { Logger } from "../ports/runtime.ts";

/**
 * A role paused on a configuration fault, as the checkpoint store keeps it for `status` (another
 * process): the sink under `faults/sink`, a tenant's fetching under `faults/fetcher/<tenant>`.
 * The held work cannot tell it: held messages come back as scheduled copies a minute later, so none
 * is ever "due for 15 minutes", and a small queue then looks current through a fault of hours.
 */
export const ConfigFaultState = z.object({
  /** When the fault opened; undefined once it cleared. */
  sinceMs: z.number().optional(),
  /** When a role last saw it (each failed probe, a minute apart): a record not seen lately is of a stopped process. */
  seenAtMs: z.number(),
  /** What failed and how to fix it, as the role's error log says. */
  fix: z.string(),
});
export type ConfigFaultState = z.infer<typeof ConfigFaultState>;

export const sinkFaultKey = "faults/sink";
export const fetcherFaultKey = (tenant: string) => `faults/fetcher/${tenant}`;

/** Writes at most this often while a fault lasts (each probe would, a minute apart, per process). */
const rewriteEveryMs = 30_000;

/**
 * Keeps one fault record current: `opened` on each failed probe, `cleared` once work goes through.
 * Writes run one at a time in the background and never fail the role: a record is a report, and a
 * store that refuses it (busy, unreachable) is logged at debug and tried at the next probe.
 */
export class ConfigFaultRecord {
  private writing: Promise<void> = Promise.resolve();
  private sinceMs: number | undefined;
  private writtenAtMs = Number.NEGATIVE_INFINITY;
  /** Whether this process has looked for a fault left open by an earlier one (`cleared`). */
  private earlierChecked = false;

  constructor(
    private readonly store: CheckpointStore,
    private readonly key: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  opened(fix: string): void {
    const now = this.now();
    const opening = this.sinceMs === undefined;
    if (!opening && now - this.writtenAtMs < rewriteEveryMs) return;
    this.sinceMs ??= now;
    this.write({ sinceMs: this.sinceMs, seenAtMs: now, fix });
  }

  /**
   * Work went through. Called on every success, so cheap once nothing is open. The first call of a
   * process also clears a fault an earlier process left open (it stopped while paused, and this
   * one starts healthy): `status --check` would otherwise report it until the record aged out, and
   * a pause of hours as still going on right after the fix.
   */
  cleared(): void {
    if (this.sinceMs !== undefined) {
      this.sinceMs = undefined;
      this.earlierChecked = true;
      this.write({ seenAtMs: this.now(), fix: "" });
      return;
    }
    if (this.earlierChecked) return;
    // Set at once, so the successes that follow do not queue reads; a read that fails unsets it.
    this.earlierChecked = true;
    this.writing = this.writing.then(() => this.clearLeftOpen());
  }

  /** Resolves once the writes asked for so far are done (a stop, a test). */
  settled(): Promise<void> {
    return this.writing;
  }

  private write(state: ConfigFaultState): void {
    this.writtenAtMs = state.seenAtMs;
    this.writing = this.writing.then(() => this.replace(JSON.stringify(state)));
  }

  /**
   * One read; a write only when the record is open, made on the version read: one another process
   * rewrote meanwhile (its fault is current) is left as it is.
   */
  private async clearLeftOpen(): Promise<void> {
    try {
      const stored = await this.store.read(this.key);
      // Opened here meanwhile (a fault right after the first success): that one is current.
      if (stored === undefined || parseConfigFault(stored.value)?.sinceMs === undefined || this.sinceMs !== undefined) return;
      await this.store.write(this.key, JSON.stringify({ seenAtMs: this.now(), fix: "" } satisfies ConfigFaultState), stored.etag);
    } catch (error) {
      // Looked for again at the next success.
      this.earlierChecked = false;
      this.logger.debug("configFaultRecordFailed", { key: this.key, error: describeError(error) });
    }
  }

  /** Last writer wins: another process's record of the same fault is as good as ours. */
  private async replace(value: string): Promise<void> {
    try {
      for (let tries = 0; tries < 3; tries++) {
        const current = await this.store.read(this.key);
        if ((await this.store.write(this.key, value, current?.etag)) !== undefined) return;
      }
    } catch (error) {
      this.logger.debug("configFaultRecordFailed", { key: this.key, error: describeError(error) });
    }
  }
}

/** The record under `key`, undefined when there is none or it is not one (never throws on content). */
export async function readConfigFault(store: CheckpointStore, key: string): Promise<ConfigFaultState | undefined> {
  const stored = await store.read(key);
  return stored === undefined ? undefined : parseConfigFault(stored.value);
}

function parseConfigFault(value: string): ConfigFaultState | undefined {
  try {
    const parsed = ConfigFaultState.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
