import type { Outcome, ReceivedMessage, StreamHandler } from "@xdr-relay/core";
import { deliver, type PendingRow } from "./deliver.ts";
import { OpenBatches } from "./open-batches.ts";
import { prepareRow } from "./prepare-row.ts";
import type { SinkDeps } from "./sink-deps.ts";
import { UploadLane } from "./upload-lane.ts";

/** A held row; `fail` hands it back to the host when the sink itself broke (a bug, not a verdict). */
interface StreamRow extends PendingRow {
  fail(error: Error): void;
}

export interface RowStreamOptions {
  /** How long a batch that is not full waits for more rows before it is uploaded anyway (`ingestion.lingerMs`). */
  readonly lingerMs: number;
}

/**
 * Of the lock a message still holds when it arrives, the share its row may spend waiting for
 * company; the rest is for waiting on an upload slot, the upload and the settlement. A quarter of
 * Service Bus's default minute is 15 s, far above the default linger: the lock bounds only short locks.
 */
export const lockShareForWaiting = 0.25;

/**
 * Batches held per upload slot, beyond the slots: one filling, one ready to go the moment a slot
 * frees. More only holds more rows in memory (and under lock) without uploading any sooner.
 */
const spareBatches = 2;

/**
 * The sink as a stream handler for `consumeStream`: rows arrive one by one, join the open batch of
 * their stream (carried across receives, see `OpenBatches`), and full batches are uploaded with at
 * most `maxConcurrency` calls in flight while the host keeps receiving. Each row's outcome is
 * reported after the upload that carried it has an answer, never before.
 *
 * Memory is bounded by what is held (received, not yet reported): at most
 * (maxConcurrency + 2) batches' worth of rows and of bytes; `room()` says how many more to receive.
 */
export class RowStream implements StreamHandler {
  private heldRows = 0;
  private heldBytes = 0;
  /** Running average of a record's JSON size, to turn the byte bound into a message count. */
  private averageBytes = 1_024;
  private roomWaiters: (() => void)[] = [];
  private readonly maxHeldRows: number;
  private readonly maxHeldBytes: number;
  private readonly lane: UploadLane;
  private readonly open: OpenBatches<StreamRow>;

  constructor(
    private readonly deps: SinkDeps,
    private readonly options: RowStreamOptions,
  ) {
    const batches = deps.maxConcurrency + spareBatches;
    this.maxHeldRows = batches * deps.batchMaxRows;
    this.maxHeldBytes = batches * deps.batchMaxBytes;
    this.lane = new UploadLane(deps.maxConcurrency);
    this.open = new OpenBatches({ maxRows: deps.batchMaxRows, maxBytes: deps.batchMaxBytes }, (stream, rows) =>
      this.upload(stream, rows),
    );
  }

  room(): number {
    const rows = this.maxHeldRows - this.heldRows;
    const bytes = this.maxHeldBytes - this.heldBytes;
    if (rows <= 0 || bytes <= 0) return 0;
    return Math.max(1, Math.min(rows, Math.floor(bytes / this.averageBytes)));
  }

  whenRoom(signal: AbortSignal): Promise<void> {
    if (this.room() > 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.roomWaiters.push(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  accept(message: ReceivedMessage, report: (result: Outcome | Error) => void): void {
    let prepared: ReturnType<typeof prepareRow>;
    try {
      prepared = prepareRow(this.deps, message.body);
    } catch (error) {
      report(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (prepared.kind === "settled") {
      report(prepared.outcome);
      return;
    }
    const { bytes } = prepared;
    this.hold(bytes);
    let reported = false;
    const settle = (result: Outcome | Error) => {
      if (reported) return;
      reported = true;
      this.release(bytes);
      report(result);
    };
    const row: StreamRow = { message: prepared.message, record: prepared.record, bytes, report: settle, fail: settle };
    this.open.add(prepared.message.stream, row, this.waitMs(message));
  }

  flush(): void {
    this.open.shipAll();
  }

  /** How long this message's row may wait for company: the linger, or less when its lock is short. */
  private waitMs(message: ReceivedMessage): number {
    const lockLeftMs =
      message.lockedUntilUtc === undefined ? Number.POSITIVE_INFINITY : message.lockedUntilUtc.getTime() - this.deps.now();
    return Math.max(0, Math.min(this.options.lingerMs, lockLeftMs * lockShareForWaiting));
  }

  private upload(stream: string, rows: StreamRow[]): void {
    this.lane.run(async () => {
      try {
        await deliver(this.deps, stream, rows);
      } catch (error) {
        // A bug, not a verdict on the rows: the host abandons them (redelivered later).
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const row of rows) row.fail(failure);
      }
    });
  }

  private hold(bytes: number): void {
    this.heldRows++;
    this.heldBytes += bytes;
    this.averageBytes += (bytes - this.averageBytes) / 64;
  }

  private release(bytes: number): void {
    this.heldRows--;
    this.heldBytes -= bytes;
    if (this.roomWaiters.length === 0 || this.room() === 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
