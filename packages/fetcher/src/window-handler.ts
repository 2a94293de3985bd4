import {
  completed,
  configFaultDelayMs,
  deadLetter,
  decideRetry,
  describeError,
  type HuntingApi,
  type HuntingResult,
  halfMessageId,
  huntingRetentionMs,
  isConfigError,
  isPermanentError,
  isTruncatedResultError,
  type Logger,
  type Metrics,
  malformedDescription,
  type Outcome,
  pastRetention,
  type QueryDefinition,
  QueryWindow,
  type QueueSender,
  rangeOf,
  retryCounts,
  splitWindow,
  TransientError,
  type TruncatedResultError,
  windowedQuery,
  windowId,
  windowLane,
  windowTimespan,
} from "@xdr-relay/core";
import { sendRows } from "./send-rows.ts";
import type { TenantCallBudget } from "./tenant-call-budget.ts";
import type { TenantFaultGate } from "./tenant-fault-gate.ts";

export interface FetchDeps {
  readonly hunting: HuntingApi;
  /**
   * Per-tenant call budget, shared by every window this process fetches. Absent: no budget of our
   * own (benches and emulator runs that measure the fetcher alone); the service's 429 still applies.
   */
  readonly callBudget?: Pick<TenantCallBudget, "tryAcquire">;
  /**
   * Holds back a tenant's windows while its calls fail for a configuration fault, one probe a
   * minute (shared by every window this process fetches). Absent: each window is tried on its own.
   */
  readonly faultGate?: Pick<TenantFaultGate, "holdFor" | "calling" | "answered" | "dropped">;
  /** Sender to the rows queue. */
  readonly rows: QueueSender;
  /**
   * Sender for the halves of a split window. In the fetcher role it routes each half by its lane
   * (`laneSender`): the halves of a backfill window keep its origin and go back to the backfill lane.
   */
  readonly windows: QueueSender;
  readonly queryFor: (name: string) => QueryDefinition | undefined;
  /**
   * Whether the config names `tenant`. Absent: every tenant is fetched. A window queued before its
   * tenant left the config would otherwise be fetched with the default credential and budget.
   */
  readonly tenantKnown?: (tenant: string) => boolean;
  readonly rowCap: number;
  readonly maxAttempts: number;
  readonly minWindowMs: number;
  /** Largest row message the rows queue takes (`queue.maxMessageBytes`); default 256 KiB. */
  readonly maxMessageBytes?: number;
  /** Rows per send call: large batches amortise the queue's per-call cost. */
  readonly sendBatchSize: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * The clock that decides whether a window's range is still within Defender's 30 days. Absent:
   * not checked (tests and benches on fixed data).
   */
  readonly now?: () => number;
  /**
   * The role's stop (Ctrl-C, SIGTERM). It aborts a hunting call in flight: a call may take minutes
   * (the service's own limit is 3), and a stop used to wait for it.
   */
  readonly signal?: AbortSignal;
}

/**
 * Fetches one window: runs its query, sends one row message per result row, and only then
 * completes the window. A result that may be cut short is never used: the window is split.
 */
export async function handleWindow(deps: FetchDeps, body: unknown): Promise<Outcome> {
  const parsed = QueryWindow.safeParse(body);
  if (!parsed.success) return deadLetter("MalformedMessage", malformedDescription("QueryWindow", body, parsed.error));
  const window = parsed.data;
  const definition = deps.queryFor(window.query);
  if (!definition) return deadLetter("BadQuery", `unknown query "${window.query}" (not in this deployment's config)`);
  if (deps.tenantKnown?.(window.tenant) === false) {
    const queue = windowLane(window) === "backfill" ? "windows-backfill" : "windows";
    const fix = `add it back and replay, or drop these windows: dlq drop --queue ${queue} --reason UnknownTenant`;
    return deadLetter(
      "UnknownTenant",
      `tenant ${window.tenant} is not in this deployment's config (tenants, XDR_RELAY_TENANTS): ${fix}`,
    );
  }
  const range = rangeOf(window);
  const expired = deps.now ? expiry(deps, window, deps.now()) : undefined;
  if (expired) return expired;
  const holdMs = deps.faultGate?.holdFor(window.tenant) ?? 0;
  if (holdMs > 0) return heldForFault(deps, window, holdMs);
  const admission = deps.callBudget?.tryAcquire(window.tenant, windowLane(window)) ?? { admitted: true };
  if (!admission.admitted) return deferred(deps, window, admission.waitMs);
  deps.faultGate?.calling(window.tenant);
  let result: HuntingResult;
  try {
    result = await deps.hunting.runHuntingQuery({
      tenant: window.tenant,
      query: windowedQuery(definition.kql, range),
      timespan: windowTimespan(range),
      signal: deps.signal,
    });
    deps.faultGate?.answered(window.tenant, undefined);
  } catch (error) {
    if (deps.signal?.aborted) {
      deps.faultGate?.dropped(window.tenant);
      return stopped(deps, window);
    }
    deps.faultGate?.answered(window.tenant, error);
    if (isTruncatedResultError(error)) {
      return unlessQueueFails(deps, window, (sending) =>
        error.timedOut ? timedOut(sending, window, error) : split(sending, window, error.message),
      );
    }
    return failed(deps, window, error);
  }
  return unlessQueueFails(deps, window, (sending) => useResult(sending, window, definition, result));
}

/** Sends the rows of a result that cannot have been cut short, else splits the window. */
async function useResult(
  deps: FetchDeps,
  window: QueryWindow,
  definition: QueryDefinition,
  result: HuntingResult,
): Promise<Outcome> {
  const id = windowId(window);
  if (result.results.length >= deps.rowCap)
    return split(deps, window, `${result.results.length} rows: the ${deps.rowCap}-row cap may have cut it`);
  const rows = await sendRows(
    deps,
    {
      window: id,
      tenant: window.tenant,
      query: window.query,
      stream: definition.stream,
      columns: result.schema.map((c) => c.name),
    },
    result.results,
  );
  deps.metrics.increment("windowsFetched");
  deps.metrics.increment("rowsSent", rows.sent);
  if (rows.tooLarge > 0) {
    // Sent as stand-ins for the sink to dead-letter as RowTooLarge; said here too, where it happened.
    deps.metrics.increment("rowsTooLarge", rows.tooLarge);
    deps.logger.warn("rowsTooLarge", { window: id, rows: rows.tooLarge, maxMessageBytes: deps.maxMessageBytes });
  }
  deps.logger.debug("windowFetched", { window: id, rows: rows.sent });
  return completed;
}

/**
 * `send`'s outcome, or, when a queue refused what it sent (the rows, or a split's halves), the
 * window again in a minute, with no attempt spent. Only the hunting call's errors are a verdict on
 * the window: a full disk or an unreachable queue is the deployment's, like a configuration fault.
 * The error used to escape, and the host's abandon made the window due at once: each delivery made
 * a hunting call and failed alike, and ten deliveries later (five seconds) a healthy window was
 * dead-lettered `MaxDeliveryCountExceeded`. Rows sent before the failure come back as duplicates
 * and are dropped. If the retry copy cannot be sent either, its lock runs out and it comes back then.
 */
async function unlessQueueFails(
  deps: FetchDeps,
  window: QueryWindow,
  send: (sending: FetchDeps) => Promise<Outcome>,
): Promise<Outcome> {
  const sending = { ...deps, rows: refusalsMarked(deps.rows), windows: refusalsMarked(deps.windows) };
  try {
    return await send(sending);
  } catch (error) {
    // Only a queue's refusal: any other error (a bug building the messages, say) fails the same
    // way every time, and escapes as before, to be abandoned and in the end dead-lettered.
    if (!(error instanceof QueueRefused)) throw error;
    const description = describeError(error.cause);
    deps.metrics.increment("windowsUnsent");
    deps.logger.error("windowUnsent", { window: windowId(window), delayMs: configFaultDelayMs, error: description });
    return {
      kind: "retry",
      delayMs: configFaultDelayMs,
      reason: `a queue refused its messages: ${description}`,
      retryBody: { ...window, lastError: description.slice(0, 2000) },
    };
  }
}

/** A queue send that failed, told apart from errors of our own making on the way to it. */
class QueueRefused extends Error {}

function refusalsMarked(sender: QueueSender): QueueSender {
  return {
    sendMessages: async (messages) => {
      try {
        await sender.sendMessages(messages);
      } catch (error) {
        throw new QueueRefused("queue send failed", { cause: error });
      }
    },
    close: () => sender.close(),
  };
}

/**
 * The tenant's call budget is spent: no call was made, so the window comes back when a slot frees,
 * with no attempt spent (waiting for our own budget is not a failure of the window).
 */
function deferred(deps: FetchDeps, window: QueryWindow, waitMs: number): Outcome {
  deps.metrics.increment("windowsDeferred");
  deps.logger.debug("windowDeferred", { window: windowId(window), tenant: window.tenant, delayMs: waitMs });
  return { kind: "retry", delayMs: waitMs, reason: `call budget of tenant ${window.tenant} spent`, retryBody: window };
}

/**
 * The tenant's calls fail for a configuration fault and this window is not the minute's probe: it
 * comes back after the probe, with no call made and no attempt spent.
 */
function heldForFault(deps: FetchDeps, window: QueryWindow, waitMs: number): Outcome {
  deps.logger.debug("windowHeldForFault", { window: windowId(window), tenant: window.tenant, delayMs: waitMs });
  return { kind: "retry", delayMs: waitMs, reason: `tenant ${window.tenant} has a configuration fault`, retryBody: window };
}

/**
 * A window whose whole range is older than Defender keeps: the service would answer with no rows,
 * and completing it would pass a gap off as an empty window. It reaches here when it waited too
 * long: the scheduler catching up after a month down, a backfill's split halves queued behind the
 * rest, a replay of an old dead letter. Dead-lettered, it shows in `dlq list` and `status --check`
 * (`dlq drop` clears it). One only partly past is fetched for the part Defender keeps, with a
 * warning that says from when: undefined, go on.
 */
function expiry(deps: FetchDeps, window: QueryWindow, nowMs: number): Outcome | undefined {
  const past = pastRetention(rangeOf(window), nowMs);
  if (past === "none") return undefined;
  const oldest = new Date(nowMs - huntingRetentionMs).toISOString();
  if (past === "part") {
    deps.metrics.increment("windowsPartlyExpired");
    deps.logger.warn("windowPartlyExpired", { window: windowId(window), oldestKept: oldest });
    return undefined;
  }
  deps.metrics.increment("windowsDeadLettered");
  return deadLetter(
    "WindowExpired",
    `[${window.start}, ${window.end}) is older than Defender keeps advanced-hunting data (30 days, so nothing before ${oldest}): its rows are gone and were not fetched`,
  );
}

/**
 * The role stopped during the call: the window goes back to its queue as it came, due at once, so
 * the next start fetches it. A stop is not a failure of the window: no attempt is spent, and it is
 * not abandoned either (each abandon spends a delivery, and enough stops would dead-letter it).
 */
function stopped(deps: FetchDeps, window: QueryWindow): Outcome {
  deps.metrics.increment("windowsInterrupted");
  deps.logger.info("windowInterrupted", { window: windowId(window) });
  return { kind: "retry", delayMs: 0, reason: "stopped during its hunting call", retryBody: window };
}

/**
 * A call that timed out: split as for a cut result, but spending an attempt, which the halves
 * carry. A heavy window still splits (a few levels, each a quarter of the work), but a service or
 * gateway that times out every call leaves a window in `FetchFailed` after `maxAttempts` calls
 * along its splits (replayable), not shredded into a dead letter per smallest window. At the
 * minimum size it is retried with backoff, as any transient failure.
 */
async function timedOut(deps: FetchDeps, window: QueryWindow, error: TruncatedResultError): Promise<Outcome> {
  const halves = splitWindow(window, deps.minWindowMs);
  const attempt = window.attempt + 1;
  // At the minimum size, or with its last attempt spent, it fails as any transient failure does; so
  // does a timeout that says nothing of why (a bare 504) after the window's first attempt: one split
  // is what an unexplained timeout earns, else a gateway outage splits it at every level at once.
  if (!halves || attempt >= deps.maxAttempts || (error.unexplained && window.attempt > 0)) {
    return failed(deps, window, new TransientError(error.message, { status: error.status, cause: error }));
  }
  const carried = { attempt, lastError: describeError(error).slice(0, 2000) };
  return split(deps, window, error.message, [
    { ...halves[0], ...carried },
    { ...halves[1], ...carried },
  ]);
}

async function split(
  deps: FetchDeps,
  window: QueryWindow,
  why: string,
  halves = splitWindow(window, deps.minWindowMs),
): Promise<Outcome> {
  if (!halves) {
    deps.metrics.increment("windowsDeadLettered");
    const size = Date.parse(window.end) - Date.parse(window.start);
    return deadLetter(
      "WindowCannotSplit",
      `${why}; the window (${size} ms) cannot be halved: its halves would be under the ${deps.minWindowMs} ms minimum`,
    );
  }
  await deps.windows.sendMessages(halves.map((w) => ({ messageId: halfMessageId(w), body: w })));
  deps.metrics.increment("windowsSplit");
  deps.logger.info("windowSplit", { window: windowId(window), depth: window.depth + 1, why });
  return completed;
}

function failed(deps: FetchDeps, window: QueryWindow, error: unknown): Outcome {
  const description = describeError(error);
  const decision = decideRetry({
    error,
    attemptsSpent: window.attempt,
    throttlesSpent: window.throttles,
    maxAttempts: deps.maxAttempts,
  });
  if (decision.kind === "retry") {
    deps.metrics.increment(decision.spendsAttempt ? "windowsRetried" : "windowsThrottled");
    const configFault = isConfigError(error);
    if (configFault) deps.metrics.increment("windowConfigFault");
    // A configuration fault is said once per tenant by the fault gate, where there is one.
    deps.logger[configFault ? (deps.faultGate ? "debug" : "error") : "warn"]("windowRetried", {
      window: windowId(window),
      why: decision.why,
      delayMs: decision.delayMs,
      error: description,
    });
    return {
      kind: "retry",
      delayMs: decision.delayMs,
      reason: description,
      retryBody: { ...window, ...retryCounts(window, error, decision), lastError: description.slice(0, 2000) },
    };
  }
  deps.metrics.increment("windowsDeadLettered");
  // A request the service refuses as such (400) will fail the same way on replay until the query is fixed.
  const reason = isPermanentError(error) ? "BadQuery" : "FetchFailed";
  return deadLetter(reason, `${decision.why}: ${description}`);
}
