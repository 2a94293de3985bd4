import {
  ConfigError,
  CounterMetrics,
  completed,
  configFaultDelayMs,
  type HuntingApi,
  type HuntingRequest,
  type HuntingResult,
  huntingRetentionMs,
  newWindow,
  type Outcome,
  type OutgoingMessage,
  PermanentError,
  type QueryWindow,
  type QueueSender,
  RowMessage,
  rangeOf,
  rowIdOf,
  silentLogger,
  ThrottledError,
  TransientError,
  TruncatedResultError,
  windowedQuery,
  windowId,
  windowLane,
  windowMessageId,
  windowTimespan,
} from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { TenantCallBudget } from "./tenant-call-budget.ts";
import { TenantFaultGate } from "./tenant-fault-gate.ts";
import { type FetchDeps, handleWindow } from "./window-handler.ts";

const t0 = Date.parse("2026-11-26T10:00:00.000Z");
const definition = { kql: "AlertInfo | project Timestamp, AlertId, Title", stream: "Custom-XdrAlertInfo" };
/** A 5-minute grid window on its first re-sweep, two attempts already spent. */
const gridWindow: QueryWindow = {
  ...newWindow({
    tenant: "contoso",
    query: "alert-info",
    range: { startMs: t0, endMs: t0 + 300_000 },
    origin: "resweep",
    sweep: 1,
  }),
  attempt: 2,
};
/** A window at the 1 s minimum: it cannot be split further. */
const smallestWindow = newWindow({
  tenant: "contoso",
  query: "alert-info",
  range: { startMs: t0, endMs: t0 + 1_000 },
  origin: "split",
  depth: 8,
});

function result(rows: number): HuntingResult {
  return {
    schema: [
      { name: "Timestamp", type: "DateTime" },
      { name: "AlertId", type: "String" },
    ],
    results: Array.from({ length: rows }, (_, i) => ({ Timestamp: new Date(t0 + i * 1_000).toISOString(), AlertId: `da${i}` })),
  };
}

type Answer = HuntingResult | Error;

/** Answers every query with `answer(n)` (n counts calls from 1) and records the requests. */
class FakeHunting implements HuntingApi {
  readonly requests: HuntingRequest[] = [];
  constructor(private readonly answer: (call: number) => Answer) {}
  async runHuntingQuery(request: HuntingRequest): Promise<HuntingResult> {
    this.requests.push(request);
    const answer = this.answer(this.requests.length);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** Records each send once it resolved (a tick later, like a real queue); the `failAt`-th call (from 0) throws. */
class FakeSender implements QueueSender {
  readonly batches: OutgoingMessage[][] = [];
  constructor(
    private readonly log: string[],
    private readonly failAt = -1,
  ) {}
  async sendMessages(messages: readonly OutgoingMessage[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.batches.length === this.failAt) throw new Error("queue unavailable");
    this.batches.push([...messages]);
    this.log.push(`sent ${messages.length}`);
  }
  async close(): Promise<void> {}
}

function setup(answer: Answer | ((call: number) => Answer), failing: { rowsAt?: number; windowsAt?: number } = {}) {
  const log: string[] = [];
  const hunting = new FakeHunting(typeof answer === "function" ? answer : () => answer);
  const rows = new FakeSender(log, failing.rowsAt);
  const windows = new FakeSender(log, failing.windowsAt);
  const deps: FetchDeps = {
    hunting,
    callBudget: new TenantCallBudget(
      () => ({ callsPerMinute: 1_000, callsPerHour: 1_000 }),
      () => t0,
    ),
    rows,
    windows,
    queryFor: (name) => (name === "alert-info" ? definition : undefined),
    rowCap: 4,
    maxAttempts: 3,
    minWindowMs: 1_000,
    sendBatchSize: 2,
    logger: silentLogger,
    metrics: new CounterMetrics(),
  };
  return { deps, hunting, rows, windows, log };
}

/**
 * Handles `window`, then every half it was split into and every retry copy, as they come back
 * (breadth-first, until none is left), and returns each outcome in that order.
 */
async function followSplitsAndRetries(deps: FetchDeps, window: QueryWindow): Promise<Outcome[]> {
  const sender = deps.windows as FakeSender;
  const queue: unknown[] = [window];
  const outcomes: Outcome[] = [];
  for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
    const sentBefore = sender.batches.length;
    const outcome = await handleWindow(deps, body);
    outcomes.push(outcome);
    for (const batch of sender.batches.slice(sentBefore)) for (const m of batch) queue.push(m.body);
    if (outcome.kind === "retry") queue.push(outcome.retryBody);
  }
  return outcomes;
}

/** The parts of an outcome a test states: a retry's delay and the attempt it carries, a dead letter's reason. */
function brief(outcome: Outcome) {
  if (outcome.kind === "retry")
    return { kind: outcome.kind, delayMs: outcome.delayMs, attempt: (outcome.retryBody as QueryWindow).attempt };
  if (outcome.kind === "deadLetter") return { kind: outcome.kind, reason: outcome.reason };
  return { kind: outcome.kind };
}

describe("handleWindow: rows", () => {
  it("queries the window's range and sends one row message per row, keyed by rowId, in batches of sendBatchSize", async () => {
    const answer = result(3);
    const { deps, hunting, rows, windows } = setup(answer);

    expect(await handleWindow(deps, gridWindow)).toEqual(completed);

    const range = rangeOf(gridWindow);
    expect(hunting.requests).toEqual([
      { tenant: "contoso", query: windowedQuery(definition.kql, range), timespan: windowTimespan(range) },
    ]);
    expect(rows.batches.map((b) => b.length)).toEqual([2, 1]);
    const sent = rows.batches.flat();
    expect(sent.map((m) => RowMessage.parse(m.body))).toEqual(
      answer.results.map((row) => ({
        version: 1,
        tenant: "contoso",
        query: "alert-info",
        stream: "Custom-XdrAlertInfo",
        window: windowId(gridWindow),
        rowId: rowIdOf("contoso", "alert-info", row),
        attempt: 0,
        row,
      })),
    );
    for (const m of sent) expect(m.messageId).toBe((m.body as RowMessage).rowId);
    expect(windows.batches).toEqual([]);
  });

  it("gives a row found again by a re-sweep or a split half the same message id, so the queue drops the copy", async () => {
    const ids = async (window: QueryWindow) => {
      const { deps, rows } = setup(result(1));
      await handleWindow(deps, window);
      return rows.batches.flat().map((m) => m.messageId);
    };
    const first = await ids({ ...gridWindow, sweep: 0, origin: "schedule" });
    expect(await ids(gridWindow)).toEqual(first);
    expect(await ids(smallestWindow)).toEqual(first);
  });

  it("completes the window only after every send resolved", async () => {
    const { deps, log } = setup(result(3));
    await handleWindow(deps, gridWindow).then((outcome) => log.push(outcome.kind));
    expect(log).toEqual(["sent 2", "sent 1", "completed"]);
  });

  it("sends nothing and completes a window with no rows", async () => {
    const { deps, rows } = setup(result(0));
    expect(await handleWindow(deps, gridWindow)).toEqual(completed);
    expect(rows.batches).toEqual([]);
  });

  // Sending is not a verdict on the window: it comes back in a minute with no attempt spent (it
  // was abandoned, due at once, and ten fast deliveries dead-lettered it); rows sent before the
  // failure are dropped then as duplicates (same message ids).
  it.each([
    ["the rows queue fails after a first batch", result(3), { rowsAt: 1 }],
    ["the windows queue fails while splitting a full result", result(4), { windowsAt: 0 }],
    ["the windows queue fails while splitting a truncated result", new TruncatedResultError("timed out"), { windowsAt: 0 }],
  ])("never completes a window when %s: it is tried again in a minute, no attempt spent", async (_, answer, failing) => {
    const { deps } = setup(answer, failing);
    const outcome = await handleWindow(deps, gridWindow);
    expect(brief(outcome)).toEqual({ kind: "retry", delayMs: configFaultDelayMs, attempt: gridWindow.attempt });
    expect(outcome).toMatchObject({ retryBody: { lastError: expect.stringContaining("queue unavailable") } });
    expect((deps.metrics as CounterMetrics).get("windowsUnsent")).toBe(1);
  });

  it("lets an error of its own making escape (a row it cannot serialise), not taken for a queue's refusal", async () => {
    const { deps } = setup({ schema: [], results: [{ Timestamp: "2026-11-26T10:01:00Z", Bad: 1n }] } as HuntingResult);
    await expect(handleWindow(deps, gridWindow)).rejects.toThrow(/BigInt/);
    expect((deps.metrics as CounterMetrics).get("windowsUnsent")).toBe(0);
  });

  it("fetches the window whole when it comes back, the rows sent before dropped as duplicates", async () => {
    let failNext = true;
    const { deps, rows } = setup(result(3));
    const send = rows.sendMessages.bind(rows);
    rows.sendMessages = async (messages) => {
      if (failNext && rows.batches.length === 1) {
        failNext = false;
        throw new Error("disk full");
      }
      return send(messages);
    };
    const outcomes = await followSplitsAndRetries(deps, gridWindow);
    expect(outcomes.map(brief)).toEqual([
      { kind: "retry", delayMs: configFaultDelayMs, attempt: gridWindow.attempt },
      { kind: "completed" },
    ]);
    const ids = rows.batches.flat().map((m) => m.messageId);
    expect(new Set(ids).size).toBe(3);
  });
});

describe("handleWindow: results that may be cut short", () => {
  const truncations: [string, Answer][] = [
    ["as many rows as rowCap", result(4)],
    ["a TruncatedResultError", new TruncatedResultError("Query execution has exceeded the allowed result size")],
  ];

  it.each(truncations)("splits the window on %s: two halves to the windows queue, no row sent", async (_, answer) => {
    const { deps, rows, windows } = setup(answer);

    expect(await handleWindow(deps, gridWindow)).toEqual(completed);

    const half = { version: 1, tenant: "contoso", query: "alert-info", attempt: 0, depth: 1, origin: "split", sweep: 1 };
    const halves = [
      { ...half, start: "2026-11-26T10:00:00.000Z", end: "2026-11-26T10:02:30.000Z" },
      { ...half, start: "2026-11-26T10:02:30.000Z", end: "2026-11-26T10:05:00.000Z" },
    ] as QueryWindow[];
    expect(windows.batches).toEqual([halves.map((w) => ({ messageId: windowMessageId(w), body: w }))]);
    expect(rows.batches).toEqual([]);
  });

  it("keeps a backfill window's halves `backfill`, so they stay in the backfill lane", async () => {
    const { deps, windows } = setup(result(4));
    const backfillWindow = { ...gridWindow, origin: "backfill", sweep: 0 } as const;

    expect(await handleWindow(deps, backfillWindow)).toEqual(completed);

    const bodies = windows.batches.flat().map((m) => m.body as QueryWindow);
    expect(bodies.map((w) => [w.origin, w.depth, windowLane(w)])).toEqual([
      ["backfill", 1, "backfill"],
      ["backfill", 1, "backfill"],
    ]);
  });

  it("gives a second backfill's halves ids of their own, so an earlier run's halves do not swallow them", async () => {
    const { deps, windows } = setup(result(4));
    const ofRun = (run: string) => ({ ...gridWindow, origin: "backfill", sweep: 0, run }) as const;

    await handleWindow(deps, ofRun("b-1"));
    await handleWindow(deps, ofRun("b-2"));
    await handleWindow(deps, ofRun("b-2")); // redelivered: the same halves again

    const ids = windows.batches.map((batch) => batch.map((m) => m.messageId));
    expect(new Set(ids.flat()).size).toBe(4);
    expect(ids[2]).toEqual(ids[1]);
  });

  it.each(truncations)("dead-letters a window at the minimum size on %s as WindowCannotSplit", async (_, answer) => {
    const { deps, rows, windows } = setup(answer);
    expect(brief(await handleWindow(deps, smallestWindow))).toEqual({ kind: "deadLetter", reason: "WindowCannotSplit" });
    expect([rows.batches, windows.batches]).toEqual([[], []]);
  });

  it("spends an attempt on each split a timeout causes, so a service timing out every call fails the window, not shreds it", async () => {
    const timeout = new TruncatedResultError("GatewayTimeout: Gateway Timeout (HTTP 504)", { status: 504, timedOut: true });
    const { deps, hunting } = setup(timeout);
    const outcomes = await followSplitsAndRetries(deps, { ...gridWindow, attempt: 0 });
    // maxAttempts 3: the window and its halves split (attempts 1 and 2), its quarters give up.
    // Without counting, the 5-minute window split down to 1 s windows: 511 calls, 256 dead letters.
    expect(outcomes.map((o) => brief(o).kind)).toEqual([...Array(3).fill("completed"), ...Array(4).fill("deadLetter")]);
    expect(outcomes.slice(3).map((o) => o.kind === "deadLetter" && o.reason)).toEqual(Array(4).fill("FetchFailed"));
    expect(hunting.requests).toHaveLength(7);
  });

  it("splits a window once for a 504 that says nothing of why, then retries the halves whole: a gateway outage costs 5 calls, not 7", async () => {
    const bare = new TruncatedResultError("GatewayTimeout: HTTP 504.", { status: 504, timedOut: true, unexplained: true });
    const { deps, hunting } = setup(bare);
    const outcomes = await followSplitsAndRetries(deps, { ...gridWindow, attempt: 0 });
    // maxAttempts 3: one split (attempt 1), then each half is retried with backoff (attempt 2) and gives up.
    expect(outcomes.map((o) => brief(o))).toEqual([
      { kind: "completed" },
      { kind: "retry", delayMs: expect.any(Number), attempt: 2 },
      { kind: "retry", delayMs: expect.any(Number), attempt: 2 },
      { kind: "deadLetter", reason: "FetchFailed" },
      { kind: "deadLetter", reason: "FetchFailed" },
    ]);
    expect(hunting.requests).toHaveLength(5);
  });

  it("retries a window at the minimum size that timed out, as a transient failure, instead of calling it unsplittable", async () => {
    const { deps } = setup(new TruncatedResultError("timed out", { status: 504, timedOut: true }));
    const outcome = await handleWindow(deps, { ...smallestWindow, attempt: 0 });
    expect(brief(outcome)).toEqual({ kind: "retry", delayMs: expect.any(Number), attempt: 1 });
  });

  it("keeps a result one row under rowCap", async () => {
    const { deps, rows, windows } = setup(result(3));
    expect(await handleWindow(deps, gridWindow)).toEqual(completed);
    expect([rows.batches.flat().length, windows.batches.length]).toEqual([3, 0]);
  });
});

describe("handleWindow: failures", () => {
  it.each([
    [
      "a throttled call after Retry-After, spending no attempt",
      new ThrottledError("429", { retryAfterMs: 30_000 }),
      "retry",
      30_000,
    ],
    ["a configuration fault later, spending no attempt", new ConfigError("403 Forbidden"), "retry", configFaultDelayMs],
  ])("retries %s", async (_, error, kind, delayMs) => {
    const { deps, rows } = setup(error);
    const outcome = await handleWindow(deps, gridWindow);
    expect(brief(outcome)).toEqual({ kind, delayMs, attempt: 2 });
    expect(outcome).toMatchObject({ retryBody: { ...gridWindow, lastError: expect.stringContaining(error.message) } });
    expect(rows.batches).toEqual([]);
  });

  it("counts each throttle in the window, so a 429 without Retry-After waits longer each time, spending no attempt", async () => {
    const { deps } = setup(new ThrottledError("429", { retryAfterMs: undefined }));
    let body: unknown = { ...gridWindow, attempt: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const outcome = await handleWindow(deps, body);
      if (outcome.kind !== "retry") throw new Error(`expected a retry, got ${outcome.kind}`);
      delays.push(outcome.delayMs);
      body = outcome.retryBody;
    }
    expect(body).toMatchObject({ attempt: 0, throttles: 6 });
    // Equal jitter on a doubling ceiling: the 6th waits at least 16 s, the 1st at most 1 s.
    expect(delays[0]).toBeLessThanOrEqual(1_000);
    expect(delays[5]).toBeGreaterThanOrEqual(16_000);
  });

  it("retries a transient failure with an attempt more each time, then dead-letters it as FetchFailed with the last error", async () => {
    const { deps, hunting } = setup((call) => new TransientError(`upstream 503 #${call}`));
    const outcomes: Outcome[] = [];
    let body: unknown = { ...gridWindow, attempt: 0 };
    for (let i = 0; i < 10 && outcomes.at(-1)?.kind !== "deadLetter"; i++) {
      const outcome = await handleWindow(deps, body);
      outcomes.push(outcome);
      if (outcome.kind === "retry") body = outcome.retryBody;
    }
    const retry = (attempt: number) => ({ kind: "retry", delayMs: expect.any(Number), attempt });
    expect(outcomes.map(brief)).toEqual([retry(1), retry(2), { kind: "deadLetter", reason: "FetchFailed" }]);
    expect(hunting.requests).toHaveLength(3);
    expect(outcomes.at(-1)).toMatchObject({ description: expect.stringContaining("upstream 503 #3") });
  });

  it("puts a window whose call a stop aborted back as it came, due at once, spending no attempt", async () => {
    const stop = new AbortController();
    const { deps, hunting, rows } = setup(() => {
      stop.abort();
      return new TransientError("hunting request failed: This operation was aborted");
    });
    const outcome = await handleWindow({ ...deps, signal: stop.signal }, gridWindow);
    expect(hunting.requests[0]?.signal).toBe(stop.signal);
    expect(outcome).toEqual({ kind: "retry", delayMs: 0, reason: expect.stringContaining("stopped"), retryBody: gridWindow });
    expect(rows.batches).toEqual([]);
  });

  it("dead-letters a query the service refuses as BadQuery", async () => {
    const { deps } = setup(new PermanentError("Syntax error: unexpected token", { status: 400 }));
    const outcome = await handleWindow(deps, gridWindow);
    expect(brief(outcome)).toEqual({ kind: "deadLetter", reason: "BadQuery" });
    expect(outcome).toMatchObject({ description: expect.stringContaining("Syntax error") });
  });

  it.each([
    ["not an object", "window please", "MalformedMessage"],
    ["a window missing its tenant", { ...gridWindow, tenant: undefined }, "MalformedMessage"],
    ["a window that ends before it starts", { ...gridWindow, start: gridWindow.end, end: gridWindow.start }, "MalformedMessage"],
    ["a window of a newer version", { ...gridWindow, version: 2 }, "MalformedMessage"],
    ["a query this deployment does not know", { ...gridWindow, query: "device-events" }, "BadQuery"],
  ])("dead-letters %s without querying", async (_, body, reason) => {
    const { deps, hunting } = setup(result(1));
    expect(brief(await handleWindow(deps, body))).toEqual({ kind: "deadLetter", reason });
    expect(hunting.requests).toEqual([]);
  });

  it("dead-letters a window of a tenant the config no longer names, without querying, saying how to drop them", async () => {
    const { deps, hunting } = setup(result(1));
    const outcome = await handleWindow({ ...deps, tenantKnown: (t) => t !== gridWindow.tenant }, gridWindow);
    expect(brief(outcome)).toEqual({ kind: "deadLetter", reason: "UnknownTenant" });
    expect(outcome).toMatchObject({
      description: expect.stringContaining(`tenant ${gridWindow.tenant} is not in this deployment's config`),
    });
    expect(hunting.requests).toEqual([]);
    expect(brief(await handleWindow({ ...deps, tenantKnown: () => true }, gridWindow))).toEqual({ kind: "completed" });
  });
});

describe("handleWindow: a tenant with a configuration fault", () => {
  it("holds the tenant's other windows without a call until the next probe, then fetches once it clears", async () => {
    let now = t0;
    let forbidden = true;
    const { deps, hunting } = setup(() => (forbidden ? new ConfigError("403 Forbidden") : result(1)));
    const gated = { ...deps, faultGate: new TenantFaultGate(silentLogger, deps.metrics, () => now) };
    expect(brief(await handleWindow(gated, gridWindow))).toEqual({ kind: "retry", delayMs: configFaultDelayMs, attempt: 2 });
    const held = await handleWindow(gated, gridWindow);
    expect(brief(held)).toEqual({ kind: "retry", delayMs: configFaultDelayMs, attempt: gridWindow.attempt });
    expect(hunting.requests).toHaveLength(1); // held without a call
    now += configFaultDelayMs;
    forbidden = false; // the grant arrived
    expect(await handleWindow(gated, gridWindow)).toEqual(completed);
    expect(await handleWindow(gated, gridWindow)).toEqual(completed);
    expect(hunting.requests).toHaveLength(3);
  });
});

describe("handleWindow: call budget", () => {
  it("defers a window whose tenant's budget is spent, without a call and without spending an attempt", async () => {
    let now = t0;
    const { deps, hunting, rows } = setup(result(1));
    const budgeted = {
      ...deps,
      callBudget: new TenantCallBudget(
        () => ({ callsPerMinute: 1, callsPerHour: 100 }),
        () => now,
      ),
    };
    expect(await handleWindow(budgeted, gridWindow)).toEqual(completed);
    now += 15_000;
    const outcome = await handleWindow(budgeted, gridWindow);
    expect(brief(outcome)).toEqual({ kind: "retry", delayMs: 45_000, attempt: gridWindow.attempt });
    expect(outcome).toMatchObject({ retryBody: gridWindow });
    expect([hunting.requests.length, rows.batches.flat().length]).toEqual([1, 1]);
  });

  it("does not hold back another tenant", async () => {
    const { deps, hunting } = setup(result(0));
    const budgeted = {
      ...deps,
      callBudget: new TenantCallBudget(
        () => ({ callsPerMinute: 1, callsPerHour: 1 }),
        () => t0,
      ),
    };
    expect(await handleWindow(budgeted, gridWindow)).toEqual(completed);
    expect(await handleWindow(budgeted, { ...gridWindow, tenant: "fabrikam" })).toEqual(completed);
    expect(hunting.requests.map((r) => r.tenant)).toEqual(["contoso", "fabrikam"]);
  });
});

describe("handleWindow: Defender's 30 days", () => {
  const dayMs = 24 * 3_600_000;

  it("dead-letters a window whose whole range is older than Defender keeps, without a call, instead of completing it empty", async () => {
    const { deps, hunting, rows } = setup(result(0));
    const now = () => t0 + huntingRetentionMs + 300_000;
    const outcome = await handleWindow({ ...deps, now }, gridWindow);
    expect(brief(outcome)).toEqual({ kind: "deadLetter", reason: "WindowExpired" });
    expect(outcome).toMatchObject({ description: expect.stringContaining("30 days") });
    expect([hunting.requests.length, rows.batches.length]).toEqual([0, 0]);
  });

  it("still fetches a window only partly past it, and counts it, since the rest of its rows are there", async () => {
    const { deps, hunting, rows } = setup(result(2));
    const metrics = new CounterMetrics();
    const now = () => t0 + huntingRetentionMs + 60_000;
    expect(await handleWindow({ ...deps, metrics, now }, gridWindow)).toEqual(completed);
    expect([hunting.requests.length, rows.batches.flat().length]).toEqual([1, 2]);
    expect(metrics.get("windowsPartlyExpired")).toBe(1);
  });

  it("fetches a window a day inside it as usual", async () => {
    const { deps } = setup(result(1));
    const metrics = new CounterMetrics();
    const now = () => t0 + huntingRetentionMs - dayMs;
    expect(await handleWindow({ ...deps, metrics, now }, gridWindow)).toEqual(completed);
    expect(metrics.get("windowsPartlyExpired")).toBe(0);
  });
});
