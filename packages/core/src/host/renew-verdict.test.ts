import { describe, expect, it } from "vitest";
import { isLockLost } from "../errors.ts";
import { renewVerdict } from "./renew-verdict.ts";

/** Shaped like `@azure/service-bus`'s `ServiceBusError`: the code says what happened. */
function serviceBusError(code: string): Error {
  return Object.assign(new Error(`The lock supplied is invalid (${code})`), { name: "ServiceBusError", code });
}

/** Shaped like `@xdr-relay/queue`'s `MessageLockLostError` (core cannot import it). */
function embeddedLockLost(): Error {
  return Object.assign(new Error("lock of seq 7 expired"), { name: "MessageLockLostError", code: "MessageLockLost" });
}

const lockMs = 60_000;
const low = () => 0;

describe("renewVerdict", () => {
  it.each([
    // error, failures, leftMs, verdict
    ["SQLITE_BUSY", new Error("SQLITE_BUSY: database is locked"), 1, 30_000, { kind: "retry", delayMs: 1_875 }],
    ["a dropped connection", serviceBusError("ServiceCommunicationProblem"), 2, 25_000, { kind: "retry", delayMs: 3_750 }],
    ["a timeout, late", serviceBusError("ServiceTimeout"), 3, 3_000, { kind: "retry", delayMs: 1_500 }],
    ["a thrown string", "boom", 1, 30_000, { kind: "retry", delayMs: 1_875 }],
    ["anything once the lock expired", new Error("SQLITE_BUSY"), 4, 0, { kind: "giveUp", reason: "lockExpired" }],
    ["Service Bus MessageLockLost", serviceBusError("MessageLockLost"), 1, 30_000, { kind: "giveUp", reason: "lockLost" }],
    ["Service Bus SessionLockLost", serviceBusError("SessionLockLost"), 1, 30_000, { kind: "giveUp", reason: "lockLost" }],
    ["the embedded queue's lock lost", embeddedLockLost(), 1, 30_000, { kind: "giveUp", reason: "lockLost" }],
  ])("%s", (_name, error, failures, leftMs, verdict) => {
    expect(renewVerdict({ error, failures, lockMs, leftMs }, low)).toEqual(verdict);
  });

  it("backs off exponentially up to a quarter of the lock, and never past half of what is left", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((failures) =>
      renewVerdict({ error: new Error("x"), failures, lockMs, leftMs: 60_000 }, () => 0.999_999),
    );
    expect(delays.map((v) => (v.kind === "retry" ? v.delayMs : -1))).toEqual([3_750, 7_500, 15_000, 15_000, 15_000, 15_000]);
    expect(renewVerdict({ error: new Error("x"), failures: 9, lockMs, leftMs: 10 }, low)).toEqual({ kind: "retry", delayMs: 5 });
  });

  it("reads lock-lost only from the error's name or code, not from its text", () => {
    expect([isLockLost(new Error("MessageLockLost")), isLockLost({ code: "MessageLockLost" }), isLockLost(undefined)]).toEqual([
      false,
      false,
      false,
    ]);
  });
});
