import { isConfigError } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/embedded/database.ts";
import { dataFileVersion } from "../src/embedded/file-version.ts";
import { EmbeddedQueueClient, SqliteCheckpointStore } from "../src/index.ts";
import { versionOf } from "./fixtures/layout1-file.ts";
import { useTempDir } from "./temp-dir.ts";

/** A data file says which layout wrote it, so an older release never misreads a newer file. */
describe("data file version", () => {
  const dir = useTempDir();
  const stamp = (path: string, version: number) => {
    const db = openDatabase(path);
    db.pragma(`user_version = ${version}`);
    db.close();
  };

  it("stamps a new file, from the queue or the checkpoint store alike", async () => {
    const queuePath = dir.file("queue.sqlite");
    await new EmbeddedQueueClient({ path: queuePath }).close();
    expect(versionOf(queuePath)).toBe(dataFileVersion);

    const storePath = dir.file("checkpoints.sqlite");
    await new SqliteCheckpointStore({ path: storePath }).close();
    expect(versionOf(storePath)).toBe(dataFileVersion);
  });

  it("keeps the messages of a file written before the marker, and stamps it", async () => {
    const path = dir.file("old.sqlite");
    const before = new EmbeddedQueueClient({ path });
    await before.createSender("rows").sendMessages([{ messageId: "kept", body: { n: 1 } }]);
    await before.close();
    stamp(path, 0); // as every release before the marker left it

    const after = dir.track(new EmbeddedQueueClient({ path }));
    const [message] = await after.createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 0 });
    expect(message?.body).toEqual({ n: 1 });
    expect(versionOf(path)).toBe(dataFileVersion);
  });

  it("leaves an older file that needs no conversion unstamped for a command that changes nothing", async () => {
    const path = dir.file("checkpoints.sqlite");
    const writer = new SqliteCheckpointStore({ path });
    await writer.write("k", "v", undefined);
    await writer.close();
    stamp(path, 1);
    const reader = new SqliteCheckpointStore({ path, olderLayout: { refuseBy: "`status`" } });
    expect((await reader.read("k"))?.value).toBe("v");
    await reader.close();
    expect(versionOf(path), "the older release still opens it").toBe(1);

    const fresh = dir.file("new-checkpoints.sqlite");
    await new SqliteCheckpointStore({ path: fresh, olderLayout: { refuseBy: "`status`" } }).close();
    expect(versionOf(fresh), "a new file has this layout's tables, whoever created them").toBe(dataFileVersion);
  });

  it("refuses a file from a newer release with a plain message, and leaves it untouched", async () => {
    const path = dir.file("newer.sqlite");
    await new EmbeddedQueueClient({ path }).close();
    stamp(path, dataFileVersion + 1);

    let error: unknown;
    try {
      new EmbeddedQueueClient({ path });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(
      new RegExp(`newer xdr-relay .*version ${dataFileVersion + 1}; this one reads up to ${dataFileVersion}.*Upgrade xdr-relay`),
    );
    expect(() => new SqliteCheckpointStore({ path })).toThrow(/newer xdr-relay/);
    expect(versionOf(path)).toBe(dataFileVersion + 1);
  });
});
