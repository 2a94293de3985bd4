import {
  CounterMetrics,
  consumeStream,
  type LogsIngestion,
  type Outcome,
  type QueueReceiver,
  type ReceivedMessage,
  type RowMessage,
  rowIdOf,
  silentLogger,
  systemClock,
} from "@xdr-relay/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lockShareForWaiting, RowStream } from "./row-stream.ts";
import type { SinkDeps } from "./sink-deps.ts";

/** Accepts every call after `latencyMs`, or holds it until `release()`. Records each call's RowIds. */
class RecordingIngestion implements LogsIngestion {
  readonly calls: string[][] = [];
  private gates: (() => void)[] = [];
  constructor(private readonly hold = false) {}
  async upload(_rule: string, _stream: string, logs: Record<string, unknown>[]): Promise<void> {
    this.calls.push(logs.map((l) => String(l["RowId"])));
    if (this.hold) await new Promise<void>((resolve) => this.gates.push(resolve));
  }
  release(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

/** Accepts each call after a delay and records the RowIds it carried. */
class SlowIngestion implements LogsIngestion {
  readonly uploaded: string[] = [];
  async upload(_rule: string, _stream: string, logs: Record<string, unknown>[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    this.uploaded.push(...logs.map((l) => String(l["RowId"])));
  }
}

function message(i: number, lockLeftMs?: number, now = 0): ReceivedMessage {
  const row = { Timestamp: "2026-11-26T10:00:00.000Z", AlertId: `da${i}` };
  const body: RowMessage = {
    version: 1,
    tenant: "contoso",
    query: "alert-info",
    stream: "Custom-XdrAlertInfo",
    window: "w",
    rowId: rowIdOf("contoso", "alert-info", row),
    attempt: 0,
    row,
  };
  return {
    messageId: body.rowId,
    body,
    deliveryCount: 1,
    sequenceNumber: i,
    enqueuedTimeUtc: new Date(0),
    lockedUntilUtc: lockLeftMs === undefined ? undefined : new Date(now + lockLeftMs),
  };
}

function deps(client: LogsIngestion, overrides: Partial<SinkDeps> = {}): SinkDeps {
  return {
    client,
    dcrId: "dcr-0123456789abcdef0123456789abcdef",
    uploadTimeoutMs: 5_000,
    batchMaxRows: 10,
    batchMaxBytes: 950_000,
    maxAttempts: 3,
    maxConcurrency: 1,
    now: () => 0,
    logger: silentLogger,
    metrics: new CounterMetrics(),
    ...overrides,
  };
}

/** Feeds messages to the stream; returns each message's outcome as it is reported. */
function feed(stream: RowStream, messages: readonly ReceivedMessage[], outcomes: Map<string, Outcome | Error>): void {
  for (const m of messages) stream.accept(m, (result) => outcomes.set(m.messageId, result));
}

const range = (from: number, to: number, lockLeftMs?: number) =>
  Array.from({ length: to - from }, (_, k) => message(from + k, lockLeftMs));

afterEach(() => vi.useRealTimers());

describe("RowStream", () => {
  it("carries a part-full batch over to the next receive instead of uploading it part-full", async () => {
    const client = new RecordingIngestion();
    const stream = new RowStream(deps(client), { lingerMs: 60_000 });
    const outcomes = new Map<string, Outcome | Error>();
    // Three receives of 4 rows, batches of 10: one full call, then 2 rows wait for company.
    for (const from of [0, 4, 8]) feed(stream, range(from, from + 4), outcomes);
    await vi.waitFor(() => expect(outcomes.size).toBe(10));
    expect(client.calls.map((c) => c.length)).toEqual([10]);
    stream.flush();
    await vi.waitFor(() => expect(outcomes.size).toBe(12));
    expect(client.calls.map((c) => c.length)).toEqual([10, 2]);
    expect([...outcomes.values()].every((o) => !(o instanceof Error) && o.kind === "completed")).toBe(true);
  });

  it("uploads a batch that is not full once it has lingered lingerMs", async () => {
    vi.useFakeTimers();
    const client = new RecordingIngestion();
    const stream = new RowStream(deps(client), { lingerMs: 1_000 });
    const outcomes = new Map<string, Outcome | Error>();
    feed(stream, range(0, 3), outcomes);
    await vi.advanceTimersByTimeAsync(999);
    expect(client.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.calls.map((c) => c.length)).toEqual([3]);
    await vi.waitFor(() => expect(outcomes.size).toBe(3));
  });

  it("never lets a row wait for company longer than a quarter of the lock it still holds", async () => {
    vi.useFakeTimers();
    const client = new RecordingIngestion();
    const stream = new RowStream(deps(client), { lingerMs: 60_000 });
    const outcomes = new Map<string, Outcome | Error>();
    feed(stream, range(0, 2, 4_000), outcomes);
    await vi.advanceTimersByTimeAsync(4_000 * lockShareForWaiting - 1);
    expect(client.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.calls.map((c) => c.length)).toEqual([2]);
  });

  it("reports a row's outcome only after the upload that carried it was answered", async () => {
    const client = new RecordingIngestion(true);
    const stream = new RowStream(deps(client), { lingerMs: 0 });
    const outcomes = new Map<string, Outcome | Error>();
    feed(stream, range(0, 10), outcomes);
    await vi.waitFor(() => expect(client.calls).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcomes.size).toBe(0);
    client.release();
    await vi.waitFor(() => expect(outcomes.size).toBe(10));
  });

  it("bounds what it holds to (maxConcurrency + 2) batches and makes room as uploads are answered", async () => {
    const client = new RecordingIngestion(true);
    const stream = new RowStream(deps(client, { maxConcurrency: 1 }), { lingerMs: 60_000 });
    const outcomes = new Map<string, Outcome | Error>();
    expect(stream.room()).toBeGreaterThan(0);
    feed(stream, range(0, 30), outcomes);
    expect(stream.room()).toBe(0);
    let roomAgain = false;
    void stream.whenRoom(new AbortController().signal).then(() => {
      roomAgain = true;
    });
    await vi.waitFor(() => expect(client.calls).toHaveLength(1));
    expect(roomAgain).toBe(false);
    client.release();
    await vi.waitFor(() => expect(roomAgain).toBe(true));
    expect(stream.room()).toBeGreaterThan(0);
  });

  it("settles malformed messages at once, without holding or uploading them", () => {
    const client = new RecordingIngestion();
    const stream = new RowStream(deps(client), { lingerMs: 60_000 });
    const outcomes = new Map<string, Outcome | Error>();
    feed(stream, [{ ...message(0), body: { version: 1 } }], outcomes);
    expect([...outcomes.values()]).toMatchObject([{ kind: "deadLetter", reason: "MalformedMessage" }]);
    expect(client.calls).toEqual([]);
  });
});

/** A queue that hands out `total` row messages, a few per receive, and aborts the host once all are out. */
function queueOf(total: number, stop: AbortController) {
  const waiting = Array.from({ length: total }, (_, i) => message(i));
  const completed: string[] = [];
  const receiver: QueueReceiver = {
    receiveMessages: async (max) => {
      const taken = waiting.splice(0, Math.min(max, 7));
      if (waiting.length === 0) stop.abort();
      return taken;
    },
    completeMessage: async (m) => void completed.push(m.messageId),
    abandonMessage: async () => undefined,
    deadLetterMessage: async () => undefined,
    renewMessageLock: async () => new Date(0),
    close: async () => undefined,
  };
  return { receiver, completed };
}

describe("RowStream under consumeStream, stopped mid-stream", () => {
  it("uploads what it held, settles every uploaded row's message and leaves nothing unsettled", async () => {
    const stop = new AbortController();
    const { receiver, completed } = queueOf(45, stop);
    const client = new SlowIngestion();
    // A long linger: without the flush on abort, the last part-full batch would still be waiting.
    const stream = new RowStream(deps(client, { maxConcurrency: 2, now: Date.now }), { lingerMs: 60_000 });
    await consumeStream({
      queueName: "rows",
      receiver,
      sender: { sendMessages: async () => undefined, close: async () => undefined },
      handler: stream,
      clock: systemClock,
      logger: silentLogger,
      metrics: new CounterMetrics(),
      maxBatchSize: 100,
      maxWaitTimeInMs: 10,
      signal: stop.signal,
    });
    expect(client.uploaded).toHaveLength(45);
    expect(completed.sort()).toEqual([...client.uploaded].sort());
  });
});
