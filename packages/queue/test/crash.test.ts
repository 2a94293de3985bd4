import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/embedded/database.ts";
import { EmbeddedQueueClient, type EmbeddedQueueOptions } from "../src/index.ts";
import { type Child, spawnChild } from "./fixtures/spawn-child.ts";
import { useTempDir } from "./temp-dir.ts";

/** Lines `<verb> id,id,…` as one list of ids. */
const idsOf = (lines: readonly string[], verb: string) =>
  lines.filter((l) => l.startsWith(`${verb} `)).flatMap((l) => l.slice(verb.length + 1).split(","));

describe("embedded queue under SIGKILL", () => {
  const dir = useTempDir();
  const reopen = (options: Partial<EmbeddedQueueOptions> = {}) =>
    dir.track(new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), ...options }));
  const spawn = (...args: string[]): Child => dir.track(spawnChild(...args));

  it("loses no acknowledged send and resurrects no acknowledged completion", async () => {
    const child = spawn("work", dir.file("queue.sqlite"), "1000");
    await child.waitFor((lines) => lines.filter((l) => l.startsWith("sent ")).length >= 30);
    child.process.kill("SIGKILL");
    expect(await child.exited).toBe("SIGKILL");

    const db = openDatabase(dir.file("queue.sqlite"));
    expect(db.pragma("integrity_check")).toEqual([expect.objectContaining({ integrity_check: "ok" })]);
    db.close();

    const sent = new Set(idsOf(child.lines, "sent"));
    const completing = new Set(idsOf(child.lines, "completing"));
    const completed = new Set(idsOf(child.lines, "completed"));
    // Skip past the dead child's locks instead of waiting for them to expire.
    const client = reopen({ clock: { now: () => Date.now() + 2_000 } });
    const present: string[] = [];
    const receiver = client.createReceiver("rows");
    for (;;) {
      const batch = await receiver.receiveMessages(500, { maxWaitTimeInMs: 0 });
      if (batch.length === 0) break;
      present.push(...batch.map((m) => m.messageId));
    }

    expect(sent.size).toBeGreaterThanOrEqual(300);
    expect(new Set(present).size).toBe(present.length);
    const mustRemain = [...sent].filter((id) => !completing.has(id));
    expect(present).toEqual(expect.arrayContaining(mustRemain));
    expect(present.filter((id) => completed.has(id))).toEqual([]);
    // A batch the child sent but could not acknowledge is there whole or not at all.
    const unacknowledged = present.filter((id) => !sent.has(id));
    expect(unacknowledged.length === 0 || unacknowledged.length === 10).toBe(true);
    expect(new Set(unacknowledged.map((id) => id.split("-")[0])).size).toBeLessThanOrEqual(1);
  });

  it("redelivers the messages a killed receiver held, once their locks expire", async () => {
    const lockMs = 1_500;
    const seed = reopen();
    const ids = Array.from({ length: 20 }, (_, i) => `held-${i}`);
    await seed.createSender("rows").sendMessages(ids.map((id) => ({ messageId: id, body: { id } })));

    const child = spawn("hold", dir.file("queue.sqlite"), String(lockMs));
    await child.waitFor((lines) => lines.some((l) => l.startsWith("locked ")));
    const lockedAt = Date.now();
    child.process.kill("SIGKILL");
    await child.exited;
    expect(idsOf(child.lines, "locked")).toEqual(ids);

    const receiver = reopen({ lockDurationMs: lockMs }).createReceiver("rows");
    expect(seed.stats("rows")).toMatchObject({ locked: 20, active: 0 });
    expect(await receiver.receiveMessages(20, { maxWaitTimeInMs: 100 })).toEqual([]);
    const redelivered = await receiver.receiveMessages(20, { maxWaitTimeInMs: lockMs * 3 });
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(lockMs - 200);
    expect(redelivered.map((m) => m.messageId)).toEqual(ids);
    expect(redelivered.every((m) => m.deliveryCount === 2)).toBe(true);
  });

  it("two processes draining one queue never get the same message", async () => {
    const seed = reopen();
    const ids = Array.from({ length: 300 }, (_, i) => `p-${i}`);
    for (let i = 0; i < ids.length; i += 100) {
      await seed.createSender("rows").sendMessages(ids.slice(i, i + 100).map((id) => ({ messageId: id, body: i })));
    }
    const drainers = [spawn("drain", dir.file("queue.sqlite")), spawn("drain", dir.file("queue.sqlite"))];
    expect(await Promise.all(drainers.map((c) => c.exited))).toEqual([0, 0]);
    const [a, b] = drainers.map((c) => idsOf(c.lines, "completed"));
    const all = [...(a ?? []), ...(b ?? [])];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(ids.length);
    expect(seed.stats("rows")).toMatchObject({ active: 0, locked: 0 });
  });
});
