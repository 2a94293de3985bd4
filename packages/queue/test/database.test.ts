import { describe, expect, it } from "vitest";
import { inWriteTransaction, openDatabase } from "../src/embedded/database.ts";
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
});
