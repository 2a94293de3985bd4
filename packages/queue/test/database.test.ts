import { describe, expect, it } from "vitest";
import { inWriteTransaction, openDatabase } from "../src/embedded/database.ts";
import { SettleBatch } from "../src/embedded/settle-batch.ts";
import { useTempDir } from "./temp-dir.ts";

describe("inWriteTransaction", () => {
  const dir = useTempDir();

  it("fails with the error that stopped the write, when SQLite has already rolled back (a full disk)", () => {
    const db = openDatabase(dir.file("full.sqlite"));
    try {
      db.exec("CREATE TABLE t (x TEXT)");
      // The file may not grow: as a full disk, SQLite fails the write and rolls the transaction back itself.
      const { page_count: pages } = db.prepare("PRAGMA page_count").get() as { page_count: number };
      db.exec(`PRAGMA max_page_count = ${pages}`);
      const insert = db.prepare("INSERT INTO t VALUES (?)");
      expect(() => inWriteTransaction(db, () => insert.run("x".repeat(100_000)))).toThrow("database or disk is full");
      expect(db.inTransaction).toBe(false);
      // The connection goes on working once there is room again.
      db.exec("PRAGMA max_page_count = 1000000");
      inWriteTransaction(db, () => insert.run("fits"));
      expect(db.prepare("SELECT count(*) AS n FROM t").get()).toMatchObject({ n: 1 });
    } finally {
      db.close();
    }
  });

  it("fails a whole settle batch with that error when one settlement fills the disk, committing none of it", async () => {
    const db = openDatabase(dir.file("batch.sqlite"));
    try {
      db.exec("CREATE TABLE t (x TEXT)");
      const { page_count: pages } = db.prepare("PRAGMA page_count").get() as { page_count: number };
      db.exec(`PRAGMA max_page_count = ${pages + 1}`);
      const insert = db.prepare("INSERT INTO t VALUES (?)");
      const batch = new SettleBatch(db);
      // Asked for in one turn, so one transaction: the middle one cannot fit.
      const settled = await Promise.allSettled([
        batch.submit(() => insert.run("first")),
        batch.submit(() => insert.run("x".repeat(100_000))),
        batch.submit(() => insert.run("third")),
      ]);
      expect(settled.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"))).toEqual(
        Array(3).fill("database or disk is full"),
      );
      // The third did not run on its own, outside the transaction SQLite had rolled back.
      expect(db.prepare("SELECT count(*) AS n FROM t").get()).toMatchObject({ n: 0 });
    } finally {
      db.close();
    }
  });
});
