import { AuthenticationError, type TokenCredential } from "@azure/identity";
import {
  CounterMetrics,
  type LogsIngestion,
  type LogsUploadOptions,
  type Outcome,
  type RowMessage,
  rowIdOf,
  silentLogger,
} from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { recordingLogger } from "../test/recording-logger.ts";
import { ConfigFaultPause } from "./config-fault-pause.ts";
import { createIngestionClient } from "./ingestion-client.ts";
import { handleRows, type SinkDeps } from "./row-batch-handler.ts";
import { SchemaGuard } from "./schema-drift.ts";
import { StreamRejections } from "./stream-rejections.ts";

interface UploadCall {
  readonly ruleId: string;
  readonly stream: string;
  readonly rowIds: readonly string[];
  readonly bytes: number;
}

/** How the fake answers a call: accept it, fail it with an HTTP status, or never answer. */
type Answer = { readonly status: number; readonly retryAfter?: string } | "accept" | "hang";

/**
 * A Logs Ingestion stand-in shaped like `@azure/monitor-ingestion`: a failed call is reported
 * through `onError` with the HTTP error as `cause`, then the call throws an aggregate error that
 * carries no status. A hung call ends only when its abort signal fires, unreported (as the SDK does).
 */
class FakeIngestion implements LogsIngestion {
  readonly calls: UploadCall[] = [];
  readonly accepted: UploadCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly answer: (call: UploadCall) => Answer = () => "accept",
    private readonly latencyMs = 0,
  ) {}

  async upload(ruleId: string, stream: string, logs: Record<string, unknown>[], options?: LogsUploadOptions): Promise<void> {
    const call = { ruleId, stream, rowIds: logs.map((l) => String(l["RowId"])), bytes: Buffer.byteLength(JSON.stringify(logs)) };
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      const answer = this.answer(call);
      if (answer === "accept") return void this.accepted.push(call);
      if (answer === "hang") return await hangUntil(options?.abortSignal);
      const headers = { get: (name: string) => (name === "retry-after" ? answer.retryAfter : undefined) };
      const cause = Object.assign(new Error(`service answered ${answer.status}`), {
        name: "RestError",
        statusCode: answer.status,
        response: { headers },
      });
      options?.onError?.({ failedLogs: logs, cause });
      throw Object.assign(new Error("1 chunk failed"), { name: "AggregateLogsUploadError", errors: [cause] });
    } finally {
      this.inFlight--;
    }
  }
}

function hangUntil(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

/** A valid row message body; `pad` makes its record bigger. */
function rowMessage(i: number, options: { stream?: string; attempt?: number; pad?: number } = {}): RowMessage {
  const row = {
    Timestamp: new Date(Date.UTC(2026, 10, 26, 10, 0, i)).toISOString(),
    AlertId: `da${i}`,
    Note: "x".repeat(options.pad ?? 0),
  };
  const rowId = rowIdOf("contoso", "alert-info", row);
  const stream = options.stream ?? "Custom-XdrAlertInfo";
  return {
    version: 1,
    tenant: "contoso",
    query: "alert-info",
    stream,
    window: "contoso|alert-info|w",
    rowId,
    attempt: options.attempt ?? 0,
    row,
  };
}

const rowMessages = (n: number, options?: Parameters<typeof rowMessage>[1]) =>
  Array.from({ length: n }, (_, i) => rowMessage(i, options));

function deps(client: LogsIngestion, overrides: Partial<SinkDeps> = {}): SinkDeps {
  return {
    client,
    dcrId: "dcr-0123456789abcdef0123456789abcdef",
    uploadTimeoutMs: 5_000,
    batchMaxRows: 100,
    batchMaxBytes: 950_000,
    maxAttempts: 3,
    maxConcurrency: 2,
    now: () => Date.parse("2026-11-26T10:00:00Z"),
    logger: silentLogger,
    metrics: new CounterMetrics(),
    ...overrides,
  };
}

/** An outcome as a test states it: a retry's delay and the attempt it carries, a dead letter's reason. */
function brief(outcome: Outcome | undefined) {
  if (outcome?.kind === "retry")
    return { kind: outcome.kind, delayMs: outcome.delayMs, attempt: (outcome.retryBody as RowMessage).attempt };
  if (outcome?.kind === "deadLetter") return { kind: outcome.kind, reason: outcome.reason };
  return { kind: outcome?.kind };
}

/** Every outcome is there (no holes) and each message's rowId was accepted exactly as often as expected. */
function expectOneOutcomeEach(outcomes: readonly Outcome[], messages: readonly unknown[]) {
  expect(outcomes).toHaveLength(messages.length);
  for (const [i] of messages.entries()) expect(outcomes[i], `outcome ${i}`).toBeDefined();
}

const acceptedIds = (fake: FakeIngestion) => fake.accepted.flatMap((c) => c.rowIds);

describe("handleRows", () => {
  it("uploads rows in batches of batchMaxRows to the rule, each once, and completes every message", async () => {
    const fake = new FakeIngestion();
    const messages = rowMessages(10);
    const outcomes = await handleRows(deps(fake, { batchMaxRows: 4 }), messages);

    expectOneOutcomeEach(outcomes, messages);
    expect(outcomes.map(brief)).toEqual(messages.map(() => ({ kind: "completed" })));
    expect(fake.calls.map((c) => [c.ruleId, c.stream, c.rowIds.length])).toEqual([
      ["dcr-0123456789abcdef0123456789abcdef", "Custom-XdrAlertInfo", 4],
      ["dcr-0123456789abcdef0123456789abcdef", "Custom-XdrAlertInfo", 4],
      ["dcr-0123456789abcdef0123456789abcdef", "Custom-XdrAlertInfo", 2],
    ]);
    expect(acceptedIds(fake)).toEqual(messages.map((m) => m.rowId));
  });

  it("keeps every upload call within batchMaxBytes", async () => {
    const fake = new FakeIngestion();
    const messages = rowMessages(20, { pad: 150 });
    const outcomes = await handleRows(deps(fake, { batchMaxBytes: 1_000 }), messages);

    expect(fake.calls.length).toBeGreaterThan(3);
    for (const call of fake.calls) expect(call.bytes).toBeLessThanOrEqual(1_000);
    expect(acceptedIds(fake)).toEqual(messages.map((m) => m.rowId));
    expect(outcomes.every((o) => o.kind === "completed")).toBe(true);
  });

  it("dead-letters only a row the service rejects (400), completes the rest, and uploads none of them twice", async () => {
    const messages = rowMessages(8);
    const poison = messages[5]?.rowId;
    const fake = new FakeIngestion((call) => (call.rowIds.includes(String(poison)) ? { status: 400 } : "accept"));
    const outcomes = await handleRows(deps(fake), messages);

    expectOneOutcomeEach(outcomes, messages);
    expect(outcomes.map(brief)).toEqual(
      messages.map((_, i) => (i === 5 ? { kind: "deadLetter", reason: "IngestionRejected" } : { kind: "completed" })),
    );
    expect(outcomes[5]).toMatchObject({ description: expect.stringContaining("service answered 400") });
    // Where it was going, so `dlq list` shows which stream and rule to fix.
    expect(outcomes[5]).toMatchObject({
      description: expect.stringMatching(/^stream Custom-XdrAlertInfo of rule dcr-0123456789abcdef0123456789abcdef: 400/),
    });
    expect(acceptedIds(fake).toSorted()).toEqual(
      messages
        .filter((m) => m.rowId !== poison)
        .map((m) => m.rowId)
        .toSorted(),
    );
  });

  it("uploads the halves of a batch the service finds too large (413), and completes them all", async () => {
    const fake = new FakeIngestion((call) => (call.rowIds.length > 2 ? { status: 413 } : "accept"));
    const messages = rowMessages(7);
    const outcomes = await handleRows(deps(fake), messages);

    expect(outcomes.map(brief)).toEqual(messages.map(() => ({ kind: "completed" })));
    expect(acceptedIds(fake).toSorted()).toEqual(messages.map((m) => m.rowId).toSorted());
  });

  it("dead-letters a single row still too large as RowTooLarge", async () => {
    const fake = new FakeIngestion(() => ({ status: 413 }));
    const outcomes = await handleRows(deps(fake), rowMessages(2));
    expect(outcomes.map(brief)).toEqual([
      { kind: "deadLetter", reason: "RowTooLarge" },
      { kind: "deadLetter", reason: "RowTooLarge" },
    ]);
  });

  it.each([
    ["throttled with Retry-After", { status: 429, retryAfter: "30" }, 30_000, 2, 1],
    ["throttled without Retry-After", { status: 429 }, expect.any(Number), 2, 1],
    ["refused for a missing role (403)", { status: 403 }, 60_000, 2, undefined],
    ["unavailable (503)", { status: 503 }, expect.any(Number), 3, undefined],
  ] as const)(
    "retries every row of a batch %s, with the attempt it spent (and the throttle counted)",
    async (_, answer, delayMs, attempt, throttles) => {
      const fake = new FakeIngestion(() => answer);
      const messages = rowMessages(3, { attempt: 2 });
      const outcomes = await handleRows(deps(fake, { maxAttempts: 5 }), messages);

      expect(outcomes.map(brief)).toEqual(messages.map(() => ({ kind: "retry", delayMs, attempt })));
      const counted = throttles === undefined ? {} : { throttles };
      expect(outcomes.map((o) => o.kind === "retry" && o.retryBody)).toEqual(
        messages.map((m) => ({ ...m, attempt, ...counted })),
      );
    },
  );

  it.each([
    ["throttled without Retry-After", { status: 429 }],
    ["unavailable (503)", { status: 503 }],
  ] as const)("brings the rows of a batch %s back due together, so they go up in one call again", async (_, answer) => {
    const fake = new FakeIngestion(() => answer);
    const outcomes = await handleRows(deps(fake, { maxAttempts: 5 }), rowMessages(40, { attempt: 1 }));
    const delays = new Set(outcomes.map((o) => (o.kind === "retry" ? o.delayMs : undefined)));
    expect(delays.size).toBe(1);
    expect([...delays][0]).toBeGreaterThan(0);
  });

  it("waits longer for each 429 without Retry-After a row meets, though none spends an attempt", async () => {
    const fake = new FakeIngestion(() => ({ status: 429 }));
    let body: unknown = rowMessage(1);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const [outcome] = await handleRows(deps(fake, { maxAttempts: 5 }), [body]);
      if (outcome?.kind !== "retry") throw new Error(`expected a retry, got ${outcome?.kind}`);
      delays.push(outcome.delayMs);
      body = outcome.retryBody;
    }
    expect(body).toMatchObject({ attempt: 0, throttles: 8 });
    // Equal jitter: each delay lies in [half, whole] of a ceiling that doubles, so the 8th is at least 64 s.
    expect(delays[7]).toBeGreaterThanOrEqual(64_000);
    expect(delays[7]).toBeGreaterThan(delays[0] ?? 0);
  });

  it("retries an upload that does not answer within uploadTimeoutMs, spending an attempt", async () => {
    const fake = new FakeIngestion(() => "hang");
    const outcomes = await handleRows(deps(fake, { uploadTimeoutMs: 20 }), rowMessages(2));
    expect(outcomes.map(brief)).toEqual([
      { kind: "retry", delayMs: expect.any(Number), attempt: 1 },
      { kind: "retry", delayMs: expect.any(Number), attempt: 1 },
    ]);
  });

  it("dead-letters a row as IngestionFailed once 503s used up maxAttempts", async () => {
    const fake = new FakeIngestion(() => ({ status: 503 }));
    const seen: ReturnType<typeof brief>[] = [];
    let body: unknown = rowMessage(1);
    let last: Outcome | undefined;
    for (let i = 0; i < 10 && seen.at(-1)?.kind !== "deadLetter"; i++) {
      [last] = await handleRows(deps(fake), [body]);
      seen.push(brief(last));
      if (last?.kind === "retry") body = last.retryBody;
    }
    const retry = (attempt: number) => ({ kind: "retry", delayMs: expect.any(Number), attempt });
    expect(seen).toEqual([retry(1), retry(2), { kind: "deadLetter", reason: "IngestionFailed" }]);
    expect(last).toMatchObject({ description: expect.stringContaining(": stream Custom-XdrAlertInfo of rule dcr-") });
    expect(fake.calls).toHaveLength(3);
  });

  it("dead-letters a malformed message as MalformedMessage and still uploads the others", async () => {
    const fake = new FakeIngestion();
    const good = rowMessages(2);
    const bodies = [good[0], "not a row", { ...good[1], rowId: "short" }, good[1]];
    const outcomes = await handleRows(deps(fake), bodies);

    expectOneOutcomeEach(outcomes, bodies);
    const malformed = { kind: "deadLetter", reason: "MalformedMessage" };
    expect(outcomes.map(brief)).toEqual([{ kind: "completed" }, malformed, malformed, { kind: "completed" }]);
    expect(acceptedIds(fake)).toEqual(good.map((m) => m.rowId));
  });

  it("uploads each stream in its own calls", async () => {
    const fake = new FakeIngestion();
    const info = rowMessages(3, { stream: "Custom-XdrAlertInfo" });
    const evidence = rowMessages(3, { stream: "Custom-XdrAlertEvidence", pad: 1 });
    const interleaved = info.flatMap((m, i) => [m, evidence[i]]);
    const outcomes = await handleRows(deps(fake), interleaved);

    expect(outcomes.every((o) => o.kind === "completed")).toBe(true);
    const idsOf = (stream: string) => fake.calls.filter((c) => c.stream === stream).flatMap((c) => c.rowIds);
    expect(idsOf("Custom-XdrAlertInfo")).toEqual(info.map((m) => m.rowId));
    expect(idsOf("Custom-XdrAlertEvidence")).toEqual(evidence.map((m) => m.rowId));
    expect(fake.calls).toHaveLength(2);
  });

  it("keeps at most maxConcurrency upload calls in flight", async () => {
    const fake = new FakeIngestion(() => "accept", 5);
    const outcomes = await handleRows(deps(fake, { batchMaxRows: 1, maxConcurrency: 3 }), rowMessages(9));
    expect(outcomes.every((o) => o.kind === "completed")).toBe(true);
    expect([fake.calls.length, fake.maxInFlight]).toEqual([9, 3]);
  });
});

describe("handleRows with a schema guard", () => {
  const declared = {
    "Custom-XdrAlertInfo": {
      columns: ["TimeGenerated", "RowId", "SourceTenant", "Timestamp", "AlertId", "Note"].map((name) => ({ name })),
    },
  };
  const drifted = (m: RowMessage): RowMessage => ({ ...m, row: { ...m.row, NewColumn: "x" } });
  const messages = () => rowMessages(3).map((m, i) => (i === 1 ? drifted(m) : m));

  it("dead-letters only the drifted row as SchemaDrift, naming its columns, and uploads the rest", async () => {
    const fake = new FakeIngestion();
    const metrics = new CounterMetrics();
    const sent = messages();
    const outcomes = await handleRows(deps(fake, { metrics, schemaGuard: new SchemaGuard(declared, "deadLetter") }), sent);
    expect(outcomes.map(brief)).toEqual([
      { kind: "completed" },
      { kind: "deadLetter", reason: "SchemaDrift" },
      { kind: "completed" },
    ]);
    expect(outcomes[1]).toMatchObject({ description: expect.stringContaining("NewColumn") });
    expect(acceptedIds(fake)).toEqual([sent[0]?.rowId, sent[2]?.rowId]);
    expect([metrics.get("rowsSchemaDrifted"), metrics.get("rowsDeadLettered")]).toEqual([1, 1]);
  });

  it("under warn, uploads the drifted row and counts it", async () => {
    const fake = new FakeIngestion();
    const metrics = new CounterMetrics();
    const outcomes = await handleRows(deps(fake, { metrics, schemaGuard: new SchemaGuard(declared, "warn") }), messages());
    expect(outcomes.every((o) => o.kind === "completed")).toBe(true);
    expect(acceptedIds(fake)).toHaveLength(3);
    expect([metrics.get("rowsSchemaDrifted"), metrics.get("rowsDeadLettered")]).toEqual([1, 0]);
  });

  it("uploads a stream with no declaration unchecked", async () => {
    const outcomes = await handleRows(deps(new FakeIngestion(), { schemaGuard: new SchemaGuard({}, "deadLetter") }), messages());
    expect(outcomes.every((o) => o.kind === "completed")).toBe(true);
  });
});

describe("handleRows with a config fault pause", () => {
  it.each([401, 403, 404])("on %i retries every row without spending an attempt and opens the pause", async (status) => {
    const pause = new ConfigFaultPause(silentLogger, new CounterMetrics(), 1_234);
    const outcomes = await handleRows(deps(new FakeIngestion(() => ({ status })), { configFault: pause }), rowMessages(2));
    expect(outcomes.map(brief)).toEqual([
      { kind: "retry", delayMs: 60_000, attempt: 0 },
      { kind: "retry", delayMs: 60_000, attempt: 0 },
    ]);
    expect(pause.pauseFor()).toBe(1_234);
  });

  it("closes the pause when an upload is accepted again", async () => {
    let status: number | undefined = 403;
    const fake = new FakeIngestion(() => (status === undefined ? "accept" : { status }));
    const pause = new ConfigFaultPause(silentLogger, new CounterMetrics(), 1_234);
    await handleRows(deps(fake, { configFault: pause }), rowMessages(1));
    status = undefined;
    const outcomes = await handleRows(deps(fake, { configFault: pause }), rowMessages(1));
    expect([outcomes.map(brief), pause.pauseFor()]).toEqual([[{ kind: "completed" }], 0]);
  });

  it("pauses, not bisects, when the identity gets no token, though the identity library says 400", async () => {
    // As DefaultAzureCredential fails on a wrong client secret: EnvironmentCredential re-throws it
    // as an AuthenticationError with status 400. The call never reaches the service.
    const credential: TokenCredential = {
      getToken: async () => {
        throw new AuthenticationError(400, {
          error: "invalid_client",
          error_description: "AADSTS7000215: Invalid client secret",
        });
      },
    };
    const client = createIngestionClient({ auth: "azure", endpoint: "https://127.0.0.1:9", credential, maxRetries: 0 });
    const logger = recordingLogger();
    const pause = new ConfigFaultPause(logger, new CounterMetrics(), 1_234);
    const outcomes = await handleRows(deps(client, { configFault: pause, logger }), rowMessages(3));
    expect(outcomes.map(brief)).toEqual(Array(3).fill({ kind: "retry", delayMs: 60_000, attempt: 0 }));
    expect(pause.pauseFor()).toBe(1_234);
    const fault = logger.events.find((e) => e.event === "ingestionConfigFault");
    expect(fault?.fields).toMatchObject({
      message: expect.stringContaining("Invalid client secret"),
      fix: expect.stringContaining("AZURE_CLIENT_ID"),
    });
  });

  it("does not open the pause for a fault that is not about configuration (503)", async () => {
    const pause = new ConfigFaultPause(silentLogger, new CounterMetrics(), 1_234);
    await handleRows(deps(new FakeIngestion(() => ({ status: 503 })), { configFault: pause }), rowMessages(1));
    expect(pause.pauseFor()).toBe(0);
  });
});

describe("handleRows with a stream the rule refuses whole", () => {
  const refusing = () => new StreamRejections(silentLogger, new CounterMetrics(), 5);

  it("stops bisecting it once 5 rows in a row were rejected: 60 calls for 100 rows, not 190, every row dead-lettered", async () => {
    const fake = new FakeIngestion(() => ({ status: 400 }));
    const messages = rowMessages(100);
    const outcomes = await handleRows(deps(fake, { batchMaxRows: 10, maxConcurrency: 1, rejections: refusing() }), messages);
    expectOneOutcomeEach(outcomes, messages);
    expect(new Set(outcomes.map((o) => JSON.stringify(brief(o))))).toEqual(
      new Set([JSON.stringify({ kind: "deadLetter", reason: "IngestionRejected" })]),
    );
    // The first batch is bisected until the 5th rejected row (10 calls), then its other half and
    // every later batch cost 5: the batch, both halves, one row of each; the rest dead-lettered whole.
    expect(fake.calls).toHaveLength(10 + 5 + 9 * 5);
    expect(outcomes.at(-1)).toMatchObject({ description: expect.stringContaining("without being tried alone") });
  });

  it("bisects again as soon as a half is accepted, so only the poisoned row is dead-lettered", async () => {
    const rejections = refusing();
    await handleRows(deps(new FakeIngestion(() => ({ status: 400 })), { maxConcurrency: 1, rejections }), rowMessages(10));
    expect(rejections.refusesEveryRow("Custom-XdrAlertInfo")).toBe(true);

    const messages = rowMessages(10, { pad: 1 });
    const poison = messages[2]?.rowId; // in the first half, judged after the second half is accepted
    const fake = new FakeIngestion((call) => (call.rowIds.includes(String(poison)) ? { status: 400 } : "accept"));
    const outcomes = await handleRows(deps(fake, { batchMaxRows: 10, maxConcurrency: 1, rejections }), messages);
    expect(outcomes.map(brief)).toEqual(
      messages.map((_, i) => (i === 2 ? { kind: "deadLetter", reason: "IngestionRejected" } : { kind: "completed" })),
    );
    expect(acceptedIds(fake)).toHaveLength(9);
    expect(rejections.refusesEveryRow("Custom-XdrAlertInfo")).toBe(false);
    // The batch, both halves, then the rejected half bisected as usual: [0-2] ([0-1], [2]) and [3-4].
    expect(fake.calls.map((c) => c.rowIds.length)).toEqual([10, 5, 5, 3, 2, 1, 2]);
  });

  it("tries one row of each half when both are rejected, and bisects again if one is accepted", async () => {
    const rejections = refusing();
    await handleRows(deps(new FakeIngestion(() => ({ status: 400 })), { maxConcurrency: 1, rejections }), rowMessages(10));

    const messages = rowMessages(10, { pad: 2 });
    const poisons = new Set([messages[0]?.rowId, messages[9]?.rowId]); // one bad row in each half
    const fake = new FakeIngestion((call) => (call.rowIds.some((id) => poisons.has(id)) ? { status: 400 } : "accept"));
    const outcomes = await handleRows(deps(fake, { batchMaxRows: 10, maxConcurrency: 1, rejections }), messages);
    expect(outcomes.map(brief)).toEqual(
      messages.map((_, i) => (i === 0 || i === 9 ? { kind: "deadLetter", reason: "IngestionRejected" } : { kind: "completed" })),
    );
    expect(rejections.refusesEveryRow("Custom-XdrAlertInfo")).toBe(false);
  });
});
