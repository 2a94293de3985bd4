import type { OutgoingMessage } from "../../packages/core/src/index.ts";
import { openDatabase } from "../../packages/queue/src/embedded/database.ts";
import type { QueuePhaseRates } from "./queue-trial.ts";

/**
 * The ceiling for the queue micro-benchmark: the least work that durably stores, reads and removes
 * the same messages with the same library, disk and commit sizes, but none of the queue's
 * semantics. A plain rowid table (no index, no duplicate history, no locks) in a WAL file with
 * SQLite's default checkpointing (so the queue's own tuning shows in the ratio):
 * - send: JSON.stringify each body (the queue must too) and one prepared INSERT per message, one
 *   `synchronous=FULL` transaction per send batch, as a durable send needs;
 * - receive: SELECT the next batch in rowid order and JSON.parse each body (no lock is written);
 * - complete: one prepared DELETE per message, one `synchronous=NORMAL` transaction per batch.
 * This is the textbook "one prepared statement in a transaction" way, so a ratio near 1 means the
 * queue's semantics cost little over storing the rows at all.
 */
export function baselineTrial(path: string, batches: readonly OutgoingMessage[][], receiveBatch: number): QueuePhaseRates {
  const db = openDatabase(path);
  try {
    db.pragma("wal_autocheckpoint = 1000");
    db.pragma("journal_size_limit = -1");
    db.exec("CREATE TABLE plain (id TEXT NOT NULL, body TEXT NOT NULL)");
    const total = batches.reduce((n, b) => n + b.length, 0);
    const insert = db.prepare("INSERT INTO plain (id, body) VALUES (?, ?)");
    const send = timedRate(total, () => {
      db.pragma("synchronous = FULL");
      for (const batch of batches) {
        const encoded = batch.map((m) => [m.messageId, JSON.stringify(m.body)] as const);
        db.transaction(() => {
          for (const [id, body] of encoded) insert.run(id, body);
        }).immediate();
      }
    });
    const select = db.prepare("SELECT rowid AS seq, id, body FROM plain WHERE rowid > ? ORDER BY rowid LIMIT ?");
    const remove = db.prepare("DELETE FROM plain WHERE rowid = ?");
    db.pragma("synchronous = NORMAL");
    let receiveMs = 0;
    let completeMs = 0;
    for (let last = 0; ; ) {
      let started = performance.now();
      const rows = select.all(last, receiveBatch) as { seq: number; id: string; body: string }[];
      const received = rows.map((r) => ({ seq: r.seq, id: r.id, body: JSON.parse(r.body) as unknown }));
      receiveMs += performance.now() - started;
      if (received.length === 0) break;
      started = performance.now();
      db.transaction(() => {
        for (const m of received) remove.run(m.seq);
      }).immediate();
      completeMs += performance.now() - started;
      last = received.at(-1)?.seq ?? last;
    }
    return { sendPerS: send, receivePerS: total / (receiveMs / 1000), completePerS: total / (completeMs / 1000) };
  } finally {
    db.close();
  }
}

function timedRate(count: number, work: () => void): number {
  const started = performance.now();
  work();
  return count / ((performance.now() - started) / 1000);
}
