import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EmbeddedQueueClient, SqliteCheckpointStore } from "../src/index.ts";
import { describeCheckpointStoreConformance } from "./checkpoint-conformance.ts";
import { useTempDir } from "./temp-dir.ts";

describe("SqliteCheckpointStore", () => {
  const dir = useTempDir();
  const open = () => dir.track(new SqliteCheckpointStore({ path: dir.file("relay.sqlite") }));

  describeCheckpointStoreConformance("SqliteCheckpointStore", async () => open());

  it("shares a file with the queue and survives reopening", async () => {
    const queue = dir.track(new EmbeddedQueueClient({ path: dir.file("relay.sqlite") }));
    const etag = await open().write("k", "v", undefined);
    await queue.createSender("rows").sendMessages([{ messageId: "m", body: 1 }]);
    await queue.close();
    expect(await open().read("k")).toEqual({ value: "v", etag });
  });

  it("keeps its write-ahead log small however many times a checkpoint moves", async () => {
    const store = open();
    let etag: string | undefined;
    for (let i = 0; i < 1_500; i++) etag = await store.write("sweep", String(i), etag);
    expect(await store.read("sweep")).toMatchObject({ value: "1499" });
    expect(statSync(`${dir.file("relay.sqlite")}-wal`).size).toBeLessThan(1024 * 1024);
  });
});
