import { newWindow } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import { shareWaitMs, slotPlan, TenantShare } from "./tenant-share.ts";

const windowOf = (tenant: string) =>
  newWindow({ tenant, query: "alert-info", range: { startMs: 0, endMs: 300_000 }, origin: "schedule" });

/** A fetch that hangs until released, as a call to a tenant whose Graph does not answer. */
function hangingFetch() {
  let release = () => {};
  const done = new Promise<void>((r) => {
    release = r;
  });
  return { release, fetch: () => done.then(() => ({ kind: "completed" }) as const) };
}

describe("slotPlan", () => {
  it("keeps a lone tenant's slots as they were, and gives several tenants spare slots no one tenant can take", () => {
    expect(slotPlan(4, 1)).toEqual({ slots: 4, share: 4 });
    expect(slotPlan(4, 3)).toEqual({ slots: 6, share: 4 });
    expect(slotPlan(1, 2)).toEqual({ slots: 2, share: 1 });
  });
});

describe("TenantShare", () => {
  it("sends a window over its tenant's share back for later, without fetching it and unchanged", async () => {
    const full: string[] = [];
    const share = new TenantShare(2, (tenant) => full.push(tenant));
    const hung = hangingFetch();
    const first = share.within(windowOf("down"), hung.fetch);
    const second = share.within(windowOf("down"), hung.fetch);
    let fetched = false;
    const third = await share.within(windowOf("down"), async () => {
      fetched = true;
      return { kind: "completed" };
    });
    expect(fetched).toBe(false);
    expect(full).toEqual(["down"]);
    expect(third).toMatchObject({ kind: "retry", delayMs: shareWaitMs, retryBody: windowOf("down") });
    // Another tenant is not held up by the hung one.
    expect(await share.within(windowOf("north"), async () => ({ kind: "completed" }))).toEqual({ kind: "completed" });
    hung.release();
    await Promise.all([first, second]);
    // A window that finds the share full but sees a slot free soon is fetched, not sent back.
    const busy = hangingFetch();
    const holding = [share.within(windowOf("down"), busy.fetch), share.within(windowOf("down"), busy.fetch)];
    const waiting = share.within(windowOf("down"), async () => ({ kind: "completed" }));
    setTimeout(busy.release, 100);
    expect(await waiting).toEqual({ kind: "completed" });
    await Promise.all(holding);
    // The slots came back once the hung calls ended.
    expect(share.tryTake("down")).toBeDefined();
  });

  it("sends a window back at once when its tenant's windows in flight have been hanging", async () => {
    let nowMs = 0;
    const share = new TenantShare(
      1,
      () => {},
      () => nowMs,
    );
    share.tryTake("down");
    nowMs = 60_000; // the call in flight has hung for a minute
    const started = Date.now();
    expect((await share.within(windowOf("down"), async () => ({ kind: "completed" }))).kind).toBe("retry");
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("frees the slot when the fetch throws", async () => {
    const share = new TenantShare(1);
    await expect(share.within(windowOf("a"), () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(share.tryTake("a")).toBeDefined();
  });

  it("lets a body that is not a window through to the handler, which dead-letters it", async () => {
    const share = new TenantShare(1);
    const outcome = await share.within({ not: "a window" }, async () => ({
      kind: "deadLetter",
      reason: "MalformedMessage",
      description: "x",
    }));
    expect(outcome.kind).toBe("deadLetter");
  });
});
