import type { BackfillRun } from "@xdr-relay/scheduler";
import { duration, fmt, iso } from "./format.ts";
import { type BackfillSnapshot, isFinished } from "./snapshot.ts";

const barWidth = 24;

/** `[=========>              ]  38%`: plain ASCII, so it reads the same in a terminal and a CI log. */
export function bar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.floor(ratio * barWidth);
  const body = filled >= barWidth ? "=".repeat(barWidth) : `${"=".repeat(filled)}>${" ".repeat(barWidth - filled - 1)}`;
  return `[${body}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** One line: the bar, windows, rows, calls, throttling, dead letters, and the time left. */
export function progressLine(s: BackfillSnapshot, eta: { ms: number; basis: "rate" | "budget" }, stalledMs: number): string {
  const p = s.progress;
  const t = s.tally;
  const parts = [
    `${bar(p.done, p.total)} ${fmt(p.done)}/${fmt(p.total)} windows`,
    `${fmt(t.rowsSent)} rows sent`,
    `${fmt(t.calls)} calls`,
  ];
  if (t.throttled > 0) parts.push(`${fmt(t.throttled)} throttled (429)`);
  if (t.deferred > 0) parts.push(`${fmt(t.deferred)} waits for budget`);
  if (t.splits > 0) parts.push(`${fmt(t.splits)} split`);
  if (p.deadLettered > 0) parts.push(`${fmt(p.deadLettered)} dead-lettered`);
  if (s.run.cancelledAtMs !== undefined) {
    // Nothing is left to estimate: what is queued goes without a call.
    parts.push(`${cancelledNotice(s)}, ${fmt(p.pending)} still queued`);
    if (stalledMs >= 60_000 && p.pending > 0) parts.push("the fetchers (`xdr-relay run`) drop them as they reach them");
    return parts.join(" · ");
  }
  const unsent = enqueueNotice(s);
  if (unsent) parts.push(unsent);
  // A finished run has no time left, and `ETA ≥ <1s` read as if something were still to come.
  if (isFinished(s)) return parts.join(" · ");
  parts.push(`ETA ${eta.basis === "budget" ? "≥ " : ""}${duration(eta.ms)}`);
  // Nothing moves without a fetcher, and the queue cannot say whether one runs: after a while, ask.
  if (stalledMs >= 60_000) parts.push(`no progress for ${duration(stalledMs)}: is \`xdr-relay run\` (the fetcher) running?`);
  return parts.join(" · ");
}

/**
 * What is said of a backfill whose windows are not all sent: still going in some process, or
 * stopped part-way (the process died), with what to do about it. Undefined once all were sent.
 */
export function enqueueNotice(s: BackfillSnapshot): string | undefined {
  // A cancelled run is not to be gone on with, whatever its enqueue reached.
  if (s.enqueue.kind === "complete" || s.run.cancelledAtMs !== undefined) return undefined;
  // As the progress counts them: a window seen on a queue was sent, counted or not.
  const { total, unsent } = s.progress;
  const sent = `${fmt(total - unsent)} of ${fmt(total)} windows sent`;
  if (s.enqueue.kind === "sending") return `enqueueing: ${sent} so far`;
  const again = runAgainHint(s.run);
  // Every window went out, but the run was not recorded as done: what may be missing is its
  // re-sweeps (if any are configured), sent after the windows; running it again sends or confirms them.
  if (unsent === 0)
    return `enqueue not recorded as finished: all ${fmt(total)} windows sent, late-arrival re-sweeps maybe not — ${again} to finish it`;
  return `enqueue incomplete: ${sent} — ${again} to send the rest`;
}

/**
 * `cancelled 5m ago: 1,234 window messages dropped without a call`: the fetchers' count (a flush
 * behind) of messages, a retry copy or a half each one, so it is not a count of grid windows.
 */
function cancelledNotice(s: BackfillSnapshot): string {
  const ago = duration(Date.now() - (s.run.cancelledAtMs ?? 0));
  return `cancelled ${ago} ago: ${fmt(s.tally.cancelled)} window messages dropped without a call`;
}

/**
 * How to go on with a run whose enqueue stopped: the same range asked for again, with the same
 * tenants and queries configured, finds it. From a shell configured otherwise it is refused as a
 * repeat, and `--again` would start a new run instead: so the hint names them.
 */
export function runAgainHint(run: Pick<BackfillRun, "fromMs" | "toMs" | "tenants">): string {
  return (
    `run the same backfill again (\`xdr-relay backfill --from ${iso(run.fromMs)} --to ${iso(run.toMs)}\`, ` +
    `configured for the same tenants and queries: ${tenantsAndQueries(run.tenants)})`
  );
}

function tenantsAndQueries(tenants: BackfillRun["tenants"]): string {
  const shown = 3;
  const named = tenants
    .slice(0, shown)
    .map((t) => `${t.id} (${t.queries.join(", ")})`)
    .join("; ");
  return tenants.length > shown ? `${named}; and ${tenants.length - shown} more` : named;
}

/**
 * The closing lines once nothing of the backfill is left on the window queues. How long it took
 * is from its start to the fetchers' last count, not to now: a later look must not lengthen it.
 * Said only when the tally has that time (older fetchers did not write it).
 */
export function finalReport(s: BackfillSnapshot): string[] {
  const p = s.progress;
  const t = s.tally;
  // A window dropped after a cancel left the queues like a fetched one: say "done", not "fetched".
  const done = s.run.cancelledAtMs === undefined ? "fetched" : "done (fetched before the cancel, or dropped after it)";
  const took = t.lastAtMs === undefined ? "" : ` in ${duration(Math.max(0, t.lastAtMs - s.run.startedAtMs))}`;
  const lines = [
    `backfill ${s.run.id}: ${fmt(p.done)} of ${fmt(p.total)} windows ${done}${took}; ` +
      `${fmt(t.rowsSent)} rows sent in ${fmt(t.calls)} calls (${fmt(t.splits)} split, ${fmt(t.throttled)} throttled)`,
  ];
  if (s.run.cancelledAtMs !== undefined) lines.push(cancelledNotice(s));
  const unsent = enqueueNotice(s);
  if (unsent) lines.push(unsent);
  if (s.rowsWaiting) lines.push(`the sink has ${fmt(s.rowsWaiting)} rows still to upload from the rows queue`);
  if (p.deadLettered > 0) {
    const were = p.deadLettered === 1 ? "window was" : "windows were";
    lines.push(
      `${fmt(p.deadLettered)} ${were} dead-lettered (\`xdr-relay dlq list\`; the fetcher's log says why): fix the cause, ` +
        "then `xdr-relay dlq replay --queue windows-backfill` (and `--queue windows` for windows an older version " +
        "enqueued); replayed windows count towards this backfill again",
    );
  }
  return lines;
}
