import type { CheckpointStore } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";

/**
 * The compare-and-swap contract every `CheckpointStore` adapter must keep; the scheduler's "two
 * instances never skip or double a window" rests on it. `open` is called within a test, once per
 * connection wanted, each over the same storage (fresh per test).
 */
export function describeCheckpointStoreConformance(name: string, open: () => Promise<CheckpointStore>): void {
  describe(`${name}: checkpoint store conformance`, () => {
    it("creates a key only when absent, then advances it only from the current etag", async () => {
      const store = await open();
      expect(await store.read("t1|alerts")).toBeUndefined();
      const first = await store.write("t1|alerts", "2026-01-01T00:00:00Z", undefined);
      expect(first).toEqual(expect.any(String));
      expect(await store.write("t1|alerts", "other", undefined)).toBeUndefined();
      expect(await store.write("t1|alerts", "other", "stale-etag")).toBeUndefined();
      const second = await store.write("t1|alerts", "2026-01-01T00:05:00Z", first);
      expect(second).not.toBe(first);
      expect(await store.read("t1|alerts")).toEqual({ value: "2026-01-01T00:05:00Z", etag: second });
      expect(await store.write("t1|alerts", "late", first)).toBeUndefined();
    });

    it("lets exactly one of two writers (two connections) win from the same etag", async () => {
      const [a, b] = [await open(), await open()];
      const etag = await a.write("k", "v0", undefined);
      const results = await Promise.all([a.write("k", "from-a", etag), b.write("k", "from-b", etag)]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      const winner = results[0] === undefined ? "from-b" : "from-a";
      expect((await b.read("k"))?.value).toBe(winner);
    });

    it("lets exactly one of two creators win", async () => {
      const [a, b] = [await open(), await open()];
      const results = await Promise.all([a.write("new", "from-a", undefined), b.write("new", "from-b", undefined)]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect((await a.read("new"))?.etag).toBe(results.find((r) => r !== undefined));
    });

    it("keeps keys shaped like the scheduler's apart, and values byte for byte", async () => {
      const store = await open();
      const keys = ["schedule/contoso/alert-info", "schedule/contoso/alert-info/sweep-1", "schedule/contoso/alert-info/origin"];
      for (const [i, key] of keys.entries()) await store.write(key, `${i} ünïcode`, undefined);
      for (const [i, key] of keys.entries()) expect((await store.read(key))?.value).toBe(`${i} ünïcode`);
    });
  });
}
