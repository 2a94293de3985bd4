import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ingestionMaxBodyBytes } from "../src/ingestion/index.ts";
import { alertRows, failedUpload, rawUpload, ruleId, startEmulatorFixture, streamName, table } from "./ingestion-fixtures.ts";

/** A JSON array of alert rows just over `bytes` long. */
function arrayOver(bytes: number): string {
  const row = JSON.stringify(alertRows(1)[0]);
  return `[${Array.from({ length: Math.ceil(bytes / row.length) + 1 }, () => row).join(",")}]`;
}

async function errorOf(response: Response): Promise<{ status: number; code: string | null; body: unknown }> {
  return { status: response.status, code: response.headers.get("x-ms-error-code"), body: await response.json() };
}

describe("ingestion emulator wire format", () => {
  it("takes a plain or a gzipped JSON array and answers 204 with no body", async () => {
    await using fx = await startEmulatorFixture();
    const plain = await rawUpload(fx.emulator.endpoint, {
      body: JSON.stringify(alertRows(2)),
      headers: { authorization: "Bearer t" },
    });
    const gzipped = await rawUpload(fx.emulator.endpoint, {
      body: gzipSync(JSON.stringify(alertRows(3))),
      headers: { "content-encoding": "gzip" },
    });

    expect([plain.status, await plain.text(), gzipped.status]).toEqual([204, "", 204]);
    expect(await fx.emulator.workspace.count(table)).toBe(5);
    expect(fx.emulator.stats).toMatchObject({
      calls: 2,
      callsGzipped: 1,
      rowsAccepted: 5,
      authorization: { present: 1, absent: 1 },
    });
  });

  it("answers 413 to a body over 1 MiB, on the wire or once gunzipped, and lands nothing", async () => {
    await using fx = await startEmulatorFixture();
    const json = arrayOver(ingestionMaxBodyBytes);
    const plain = await rawUpload(fx.emulator.endpoint, { body: json });
    // Compresses to a few KB: the limit applies to the JSON too.
    const bomb = await rawUpload(fx.emulator.endpoint, { body: gzipSync(json), headers: { "content-encoding": "gzip" } });

    for (const response of [plain, bomb]) {
      expect(await errorOf(response)).toEqual({
        status: 413,
        code: "ContentLengthLimitExceeded",
        body: { error: { code: "ContentLengthLimitExceeded", message: "Maximum allowed content length: 1048576 bytes (1 MB)." } },
      });
    }
    expect(await fx.emulator.workspace.count(table)).toBe(0);
    expect(fx.emulator.stats.rejected).toEqual({ 413: 2 });
  });

  it("answers 404 to an unknown rule or stream, which the SDK reports without retrying", async () => {
    await using fx = await startEmulatorFixture();
    const unknownRule = await failedUpload((onError) =>
      fx.client.upload("dcr-ffffffffffffffffffffffffffffffff", streamName, alertRows(1), { onError }),
    );
    const unknownStream = await failedUpload((onError) => fx.client.upload(ruleId, "Custom-Unknown", alertRows(1), { onError }));

    expect([unknownRule.statuses, unknownRule.codes]).toEqual([[404], ["NotFound"]]);
    expect(unknownRule.messages).toEqual([
      "Data collection rule with immutable Id 'dcr-ffffffffffffffffffffffffffffffff' not found.",
    ]);
    expect([unknownStream.statuses, unknownStream.codes]).toEqual([[404], ["InvalidStream"]]);
    expect(fx.emulator.stats.calls).toBe(2);
  });

  it("answers 400 with the service's error body to bad JSON, a non-array, a non-object record", async () => {
    await using fx = await startEmulatorFixture();
    const answers = [];
    for (const body of ["[{", JSON.stringify(alertRows(1)[0]), "[1]"])
      answers.push(await errorOf(await rawUpload(fx.emulator.endpoint, { body })));

    expect(answers.map((a) => [a.status, a.code])).toEqual(Array(3).fill([400, "InvalidRequestContent"]));
    expect(answers[1]?.body).toEqual({
      error: { code: "InvalidRequestContent", message: "The request body must be a JSON array of objects." },
    });
    expect(await fx.emulator.workspace.count(table)).toBe(0);
  });

  it("answers 400 to a missing or unknown api-version and 404 off the API's path", async () => {
    await using fx = await startEmulatorFixture();
    const body = JSON.stringify(alertRows(1));
    const missing = await errorOf(await rawUpload(fx.emulator.endpoint, { body, query: "" }));
    const unknown = await errorOf(await rawUpload(fx.emulator.endpoint, { body, query: "?api-version=2099-01-01" }));
    const offPath = await rawUpload(fx.emulator.endpoint, { body, path: "/streams" });

    expect([missing.status, missing.code]).toEqual([400, "MissingApiVersionParameter"]);
    expect([unknown.status, unknown.code]).toEqual([400, "InvalidApiVersionParameter"]);
    expect(offPath.status).toBe(404);
    expect(await fx.emulator.workspace.count(table)).toBe(0);
  });
});
