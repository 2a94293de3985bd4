import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RelayConfig } from "@xdr-relay/core";
import { EmbeddedQueueClient } from "@xdr-relay/queue";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backfillStatusCommand } from "./backfill-status.ts";
import { dlqCommand } from "./dlq.ts";
import { UsageError } from "./usage-error.ts";

let dir: string;
let printed: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xdr-dlq-command-"));
  printed = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function configIn(dataDir: string): RelayConfig {
  return RelayConfig.parse({
    auth: "none",
    dataDir,
    hunting: { url: "http://127.0.0.1:9/hunting" },
    ingestion: { endpoint: "http://127.0.0.1:9", dcrId: "dcr-test" },
    tenants: [{ id: "contoso" }],
  });
}

const none = { queue: undefined, max: undefined };

describe("read-only commands on a dataDir where nothing has run", () => {
  it("say so and create nothing there: dlq list exits 0, dlq replay and backfill status --id exit 1", async () => {
    const empty = join(dir, "typo");
    const config = configIn(empty);
    expect(await dlqCommand(config, { action: "list", ...none })).toBe(0);
    expect(await dlqCommand(config, { action: "replay", queue: "rows", max: undefined })).toBe(1);
    expect(await backfillStatusCommand(config, { watch: false, signal: new AbortController().signal })).toBe(0);
    expect(await backfillStatusCommand(config, { id: "b-1", watch: false, signal: new AbortController().signal })).toBe(1);
    expect(printed).toEqual(
      Array(4).fill(`no relay data in ${empty}: nothing has run with this dataDir yet (dataDir, XDR_RELAY_DATA_DIR)`),
    );
    expect(existsSync(empty)).toBe(false);
  });

  it("still refuse a bad command line first", async () => {
    const config = configIn(join(dir, "typo"));
    await expect(dlqCommand(config, { action: "list", queue: "row", max: undefined })).rejects.toThrow(UsageError);
    await expect(dlqCommand(config, { action: "replay", ...none })).rejects.toThrow("dlq replay needs --queue");
  });
});

describe("dlq list on a relay's data", () => {
  it("counts each queue's dead letters by reason", async () => {
    const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
    await queue.createSender("rows").sendMessages([{ messageId: "r1", body: { n: 1 } }]);
    const [message] = await queue.createReceiver("rows").receiveMessages(1, { maxWaitTimeInMs: 0 });
    await queue.createReceiver("rows").deadLetterMessage(message as never, {
      deadLetterReason: "IngestionRejected",
      deadLetterErrorDescription: "400: bad row",
    });
    await queue.close();

    expect(await dlqCommand(configIn(dir), { action: "list", queue: "rows", max: undefined })).toBe(0);
    expect(printed.join("\n")).toMatch(/rows: 1 dead-lettered/);
    expect(printed.join("\n")).toContain("IngestionRejected");

    printed.length = 0;
    expect(await dlqCommand(configIn(dir), { action: "replay", queue: "rows", max: undefined })).toBe(0);
    expect(await dlqCommand(configIn(dir), { action: "replay", queue: "rows", max: undefined })).toBe(0);
    expect(printed).toEqual([
      "sent 1 dead letter(s) back onto rows under new message ids, with their attempts reset; `xdr-relay run` processes them " +
        "(replayed=1 skipped=0 lockLost=0 later=0)",
      "rows's dead-letter queue holds 0 now (xdr-relay dlq list --queue rows)",
      "nothing to replay: rows has no dead letters (replayed=0 skipped=0 lockLost=0 later=0)",
    ]);
  });
});

describe("dlq replay --reason", () => {
  it("sends back the dead letters of that reason only, and says the others stayed", async () => {
    const queue = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
    await queue.createSender("rows").sendMessages([
      { messageId: "r1", body: { n: 1 } },
      { messageId: "r2", body: { n: 2 } },
    ]);
    const receiver = queue.createReceiver("rows");
    const [first, second] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 0 });
    await receiver.deadLetterMessage(first as never, { deadLetterReason: "SchemaDrift", deadLetterErrorDescription: "x" });
    await receiver.deadLetterMessage(second as never, { deadLetterReason: "IngestionRejected", deadLetterErrorDescription: "y" });
    await queue.close();

    const replay = { action: "replay", queue: "rows", max: undefined } as const;
    await expect(dlqCommand(configIn(dir), { ...replay, reason: "Schemadrift" })).rejects.toThrow(
      /--reason must be one of .*SchemaDrift.*, got "Schemadrift"/,
    );
    expect(await dlqCommand(configIn(dir), { ...replay, reason: "SchemaDrift" })).toBe(0);

    expect(printed.at(-3)).toContain("(replayed=1 skipped=1 lockLost=0 later=0)");
    expect(printed.at(-2)).toBe("passed over 1 of another reason (left in the dead-letter queue)");
    expect(printed.at(-1)).toBe("rows's dead-letter queue holds 1 now (xdr-relay dlq list --queue rows)");
    const reopened = new EmbeddedQueueClient({ path: join(dir, "queue.sqlite") });
    const [left] = await reopened.createReceiver("rows", { subQueue: "deadLetter" }).receiveMessages(5, { maxWaitTimeInMs: 0 });
    expect(left?.deadLetterReason).toBe("IngestionRejected");
    await reopened.close();
  });
});
