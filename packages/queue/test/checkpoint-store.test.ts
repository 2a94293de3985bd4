import { describe, expect, it } from "vitest";
import { EmbeddedQueueClient, SqliteCheckpointStore } from "../src/index.ts";
import { useTempDir } from "./temp-dir.ts";

describe("SqliteCheckpointStore", () => {
  const dir = useTempDir();
  const open = () => dir.track(new SqliteCheckpointStore({ path: dir.file("relay.sqlite") }));

  it("creates a key only when absent, then advances it only from the current etag", async () => {
    const store = open();
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
    const [a, b] = [open(), open()];
    const etag = await a.write("k", "v0", undefined);
    const results = await Promise.all([a.write("k", "from-a", etag), b.write("k", "from-b", etag)]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    const winner = results[0] === undefined ? "from-b" : "from-a";
    expect((await b.read("k"))?.value).toBe(winner);
  });

  it("shares a file with the queue and survives reopening", async () => {
    const queue = dir.track(new EmbeddedQueueClient({ path: dir.file("relay.sqlite") }));
    const etag = await open().write("k", "v", undefined);
    await queue.createSender("rows").sendMessages([{ messageId: "m", body: 1 }]);
    await queue.close();
    expect(await open().read("k")).toEqual({ value: "v", etag });
  });
});
