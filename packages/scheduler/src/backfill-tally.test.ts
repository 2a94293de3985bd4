import { describe, expect, it } from "vitest";
import { addToBackfillTally, backfillTallyKey, emptyTally, readBackfillTally } from "./backfill-tally.ts";
import { MemoryCheckpointStore } from "./scheduler-fakes.ts";

describe("backfill tally's time", () => {
  it("keeps when a fetcher last added to it, the latest of several", async () => {
    const store = new MemoryCheckpointStore();
    const delta = { ...emptyTally, calls: 1 };
    await addToBackfillTally(store, "b-1", delta, 71_000);
    // A fetcher whose clock is a little behind does not move the end back.
    await addToBackfillTally(store, "b-1", delta, 70_000);
    expect(await readBackfillTally(store, "b-1")).toEqual({ ...emptyTally, calls: 2, lastAtMs: 71_000 });
  });

  it("reads a tally an older version wrote, without one", async () => {
    const store = new MemoryCheckpointStore();
    await store.write(backfillTallyKey("b-1"), JSON.stringify({ calls: 3 }), undefined);
    const tally = await readBackfillTally(store, "b-1");
    expect(tally).toEqual({ ...emptyTally, calls: 3 });
    expect(tally.lastAtMs).toBeUndefined();
  });
});
