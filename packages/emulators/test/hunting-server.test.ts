import { builtInQueries, type TimeRange, windowedQuery, windowTimespan } from "@xdr-relay/core";
import { describe, expect, it } from "vitest";
import {
  type HuntingCall,
  type HuntingEmulatorOptions,
  SyntheticTenant,
  type SyntheticTenantOptions,
  startHuntingEmulator,
} from "../src/hunting/index.ts";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const end = Date.UTC(2026, 2, 1);
const alertInfo = builtInQueries["alert-info"]?.kql ?? "";

const tenantOptions = (o: Partial<SyntheticTenantOptions> = {}): SyntheticTenantOptions => ({
  id: "contoso",
  seed: 11,
  startMs: end - day,
  endMs: end,
  alertsPerHour: 60,
  edgeRowsEveryMs: 5 * minute,
  ...o,
});

/** An emulator whose clock the test moves by assigning `clock.now`. */
async function emulator(o: Partial<HuntingEmulatorOptions> = {}, clockStart = end + hour) {
  const clock = { now: clockStart };
  const em = await startHuntingEmulator({ tenants: [tenantOptions()], now: () => clock.now, ...o });
  return Object.assign(em, { clock });
}

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back
  body: any;
}

async function post(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** What the relay sends for a window: the query with its filter, and a Timespan covering it. */
const windowBody = (kql: string, range: TimeRange) => ({ Query: windowedQuery(kql, range), Timespan: windowTimespan(range) });
const iso = (ms: number) => new Date(ms).toISOString();

describe("hunting emulator: results", () => {
  it("honours the half-open window: a row on start is returned, a row on end is not", async () => {
    await using em = await emulator();
    const tenant = em.tenants.get("contoso") as SyntheticTenant;
    const range = { startMs: end - 6 * hour, endMs: end - 6 * hour + 5 * minute };
    const { status, body } = await post(em.url, windowBody(alertInfo, range));
    expect(status).toBe(200);
    expect(body["@odata.context"]).toMatch(/#microsoft\.graph\.security\.huntingQueryResults$/);
    expect(body.schema[0]).toEqual({ name: "Timestamp", type: "DateTime" });
    const stamps: string[] = body.results.map((r: { Timestamp: string }) => r.Timestamp);
    expect(stamps).toContain(iso(range.startMs));
    expect(stamps).not.toContain(iso(range.endMs));
    expect(stamps.every((t) => iso(range.startMs) <= t && t < iso(range.endMs))).toBe(true);
    expect(stamps.length).toBe(tenant.count("AlertInfo", range, em.clock.now));

    const next = await post(em.url, windowBody(alertInfo, { startMs: range.endMs, endMs: range.endMs + 5 * minute }));
    expect(next.body.results[0].Timestamp).toBe(iso(range.endMs));
  });

  it("projects columns in the query's order and filters by Category", async () => {
    await using em = await emulator();
    const query = "AlertInfo\n| where Category in (\"Execution\", 'Impact')\n| project AlertId, Category, Timestamp";
    const { status, body } = await post(em.url, { Query: query, Timespan: `${iso(end - day)}/${iso(end)}` });
    expect(status).toBe(200);
    expect(body.schema.map((c: { name: string }) => c.name)).toEqual(["AlertId", "Category", "Timestamp"]);
    expect(Object.keys(body.results[0])).toEqual(["AlertId", "Category", "Timestamp"]);
    expect(new Set(body.results.map((r: { Category: string }) => r.Category))).toEqual(new Set(["Execution", "Impact"]));
  });

  it("keeps late rows invisible until they are available", async () => {
    const late = { fraction: 0.3, minDelayMs: hour, maxDelayMs: 2 * hour };
    const tenant = new SyntheticTenant(tenantOptions({ late }));
    const range = { startMs: end - 3 * hour, endMs: end - 2 * hour };
    await using em = await emulator({ tenants: [tenant] }, range.endMs + 10 * minute);
    const early = await post(em.url, windowBody(alertInfo, range));
    em.clock.now = range.endMs + 3 * hour;
    const resweep = await post(em.url, windowBody(alertInfo, range));
    expect(early.body.results.length).toBe(tenant.count("AlertInfo", range, range.endMs + 10 * minute));
    expect(resweep.body.results.length).toBe(tenant.count("AlertInfo", range, Number.POSITIVE_INFINITY));
    expect(resweep.body.results.length).toBeGreaterThan(early.body.results.length);
    const ids = new Set(resweep.body.results.map((r: { AlertId: string }) => r.AlertId));
    expect(early.body.results.every((r: { AlertId: string }) => ids.has(r.AlertId))).toBe(true);
  });

  it("cuts a result at the row cap silently, keeping the earliest rows", async () => {
    await using em = await emulator({ rowCap: 50 });
    const tenant = em.tenants.get("contoso") as SyntheticTenant;
    const range = { startMs: end - 6 * hour, endMs: end };
    const { status, body } = await post(em.url, windowBody(alertInfo, range));
    expect(status).toBe(200);
    expect(body.results.length).toBe(50);
    const expected = [...tenant.rows("AlertInfo", range, em.clock.now)].slice(0, 50).map((r) => r.AlertId);
    expect(body.results.map((r: { AlertId: string }) => r.AlertId)).toEqual(expected);
  });

  it("serves only the last 30 days, within the Timespan, and default 30 days without one", async () => {
    const tenant = new SyntheticTenant(tenantOptions({ startMs: end - 40 * day, alertsPerHour: 2, edgeRowsEveryMs: undefined }));
    await using em = await emulator({ tenants: [tenant] }, end);
    const oldest = (answer: Answer) => answer.body.results[0].Timestamp as string;
    const all = await post(em.url, { Query: "AlertInfo" });
    expect(oldest(all) >= iso(end - 30 * day)).toBe(true);
    expect(all.body.results.length).toBe(tenant.count("AlertInfo", { startMs: end - 30 * day, endMs: end }, end));
    const old = await post(em.url, windowBody(alertInfo, { startMs: end - 35 * day, endMs: end - 31 * day }));
    expect(old.body.results).toEqual([]);
    const span = await post(em.url, { Query: "AlertInfo", Timespan: "P1D" });
    expect(oldest(span) >= iso(end - day)).toBe(true);
    const narrowed = await post(em.url, {
      Query: windowedQuery("AlertInfo", { startMs: end - 3 * day, endMs: end }),
      Timespan: `${iso(end - day)}/P1D`,
    });
    expect(narrowed.body.results.length).toBe(span.body.results.length);
  });

  it("emits Name/Type schema entries when capitalizedSchema is set", async () => {
    await using em = await emulator({ capitalizedSchema: true });
    const { body } = await post(em.url, windowBody(alertInfo, { startMs: end - hour, endMs: end }));
    expect(body.schema[0]).toEqual({ Name: "Timestamp", Type: "DateTime" });
  });

  it("streams large results and counts served and distinct rows", async () => {
    const calls: HuntingCall[] = [];
    await using em = await emulator({ onCall: (call) => calls.push(call) });
    const evidence = builtInQueries["alert-evidence"]?.kql ?? "";
    const range = { startMs: end - day, endMs: end };
    const first = await post(em.urlFor("contoso"), windowBody(evidence, range));
    expect(first.body.results.length).toBeGreaterThan(4_000); // several 64 KB chunks
    expect(first.body.schema.find((c: { name: string }) => c.name === "Timestamp").type).toBe("DateTime");
    await post(em.urlFor("contoso"), windowBody(evidence, { startMs: end - hour, endMs: end }));
    const { rowsServed, distinctRowsServed } = em.stats;
    expect(em.stats.calls).toBe(2);
    expect(distinctRowsServed).toBe(first.body.results.length);
    expect(rowsServed).toBeGreaterThan(distinctRowsServed);
    expect(calls.map((c) => [c.tenant, c.status, c.timespan])).toEqual([
      ["contoso", 200, windowTimespan(range)],
      ["contoso", 200, windowTimespan({ startMs: end - hour, endMs: end })],
    ]);
    expect(calls[0]?.rows).toBe(first.body.results.length);
  });

  it("answers a repeated call with the same bytes, counting its rows as served again", async () => {
    const calls: HuntingCall[] = [];
    await using em = await emulator({ onCall: (call) => calls.push(call) });
    const evidence = builtInQueries["alert-evidence"]?.kql ?? "";
    const body = windowBody(evidence, { startMs: end - day, endMs: end });
    const text = async (b: unknown) => (await fetch(em.url, { method: "POST", body: JSON.stringify(b) })).text();
    const first = await text(body);
    const again = await text(body);
    expect(again).toBe(first);
    const rows = JSON.parse(first).results.length;
    expect(first.length).toBeGreaterThan(1_000_000); // several chunks
    expect([em.stats.rowsServed, em.stats.distinctRowsServed]).toEqual([2 * rows, rows]);
    expect(calls.map((c) => c.rows)).toEqual([rows, rows]);
    // Another projection of the same rows is another body.
    const projected = windowBody(`${evidence} | project Timestamp, AlertId`, { startMs: end - day, endMs: end });
    expect(Object.keys(JSON.parse(await text(projected)).results[0])).toEqual(["Timestamp", "AlertId"]);
    expect(JSON.parse(await text(body)).results.length).toBe(rows);
  });

  it("routes /{tenant}/v1.0/... to that tenant and the bare path to the first", async () => {
    const other = tenantOptions({ id: "fabrikam", seed: 12 });
    await using em = await emulator({ tenants: [tenantOptions(), other] });
    const range = { startMs: end - hour, endMs: end };
    const byDefault = await post(em.url, windowBody(alertInfo, range));
    const contoso = await post(em.tenantUrlTemplate.replace("{tenant}", "contoso"), windowBody(alertInfo, range));
    const fabrikam = await post(em.urlFor("fabrikam"), windowBody(alertInfo, range));
    expect(contoso.body).toEqual(byDefault.body);
    expect(fabrikam.body.results).not.toEqual(contoso.body.results);
    expect((await post(em.urlFor("nobody"), windowBody(alertInfo, range))).status).toBe(404);
  });
});

describe("hunting emulator: refusals", () => {
  it.each([
    ["an unknown table", { Query: "DeviceAlertEvents | where Timestamp > ago(1d)" }, /DeviceAlertEvents/],
    ["an unknown column", { Query: "AlertInfo | project Nope" }, /Nope/],
    ["an unsupported operator", { Query: "AlertInfo | summarize count()" }, /summarize/],
    ["a half window filter", { Query: `AlertInfo | where Timestamp >= datetime(${iso(end)})` }, /time filter/],
    ["an unparsable start", { Query: "123 | take 1" }, /parsed/],
    ["a bad Timespan", { Query: "AlertInfo", Timespan: "yesterday" }, /Timespan/],
    ["no Query", { Timespan: "P1D" }, /Query/],
    ["a body that is not JSON", "{oops", /JSON/],
    ["an empty body", "", /JSON/],
  ])("answers 400 BadRequest to %s", async (_, body, message) => {
    await using em = await emulator();
    const answer = await post(em.url, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("BadRequest");
    expect(answer.body.error.message).toMatch(message);
  });

  it("throttles past the per-tenant call quota with Retry-After, on the emulator's clock", async () => {
    await using em = await emulator({ callsPerMinute: 3, tenants: [tenantOptions(), tenantOptions({ id: "fabrikam" })] });
    const body = { Query: "AlertInfo", Timespan: "PT1H" };
    for (let i = 0; i < 3; i++) {
      expect((await post(em.url, body)).status).toBe(200);
      em.clock.now += 10_000;
    }
    const throttled = await post(em.url, body);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("30");
    expect(throttled.body.error.code).toBe("TooManyRequests");
    expect(throttled.body.error.message).toMatch(/call quota/);
    expect((await post(em.urlFor("fabrikam"), body)).status).toBe(200);
    em.clock.now += 30_000;
    expect((await post(em.url, body)).status).toBe(200);
    expect(em.stats.throttled).toBe(1);
  });

  it("refuses a result over maxResultBytes with the service's message", async () => {
    await using em = await emulator({ maxResultBytes: 10_000 });
    const big = await post(em.url, windowBody(alertInfo, { startMs: end - day, endMs: end }));
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/^Query execution has exceeded the allowed result size/);
    expect((await post(em.url, windowBody(alertInfo, { startMs: end - 5 * minute, endMs: end }))).status).toBe(200);
  });
});

describe("hunting emulator: injected faults", () => {
  it("plays programmed faults in order, then serves normally", async () => {
    await using em = await emulator();
    em.faults.push(
      { status: 500 },
      { status: 429, retryAfterSeconds: 2, kind: "cpu" },
      { status: 504 },
      { status: 400, kind: "preempted" },
      { status: 429, retryAfterSeconds: null },
      { delayMs: 150 },
    );
    const body = windowBody(alertInfo, { startMs: end - hour, endMs: end });
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await post(em.url, body));
    expect(seen.map((a) => a.status)).toEqual([500, 429, 504, 400, 429]);
    expect(seen.map((a) => a.body.error.code)).toEqual([
      "InternalServerError",
      "TooManyRequests",
      "GatewayTimeout",
      "BadRequest",
      "TooManyRequests",
    ]);
    expect(seen[1]?.headers.get("retry-after")).toBe("2");
    expect(seen[1]?.body.error.message).toMatch(/CPU/);
    expect(seen[3]?.body.error.message).toMatch(/preempted/);
    expect(seen[4]?.headers.get("retry-after")).toBeNull();
    const t0 = performance.now();
    expect((await post(em.url, body)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await post(em.url, body)).status).toBe(200);
    expect(em.stats).toMatchObject({ calls: 7, faulted: 6, throttled: 2 });
  });

  it("aims a fault at one tenant and can drop the connection", async () => {
    await using em = await emulator({ tenants: [tenantOptions(), tenantOptions({ id: "fabrikam" })] });
    em.faults.push({ tenant: "fabrikam", status: 503 }, { tenant: "fabrikam", dropConnection: true });
    const body = { Query: "AlertInfo", Timespan: "PT1H" };
    expect((await post(em.urlFor("contoso"), body)).status).toBe(200);
    expect((await post(em.urlFor("fabrikam"), body)).status).toBe(503);
    await expect(post(em.urlFor("fabrikam"), body)).rejects.toThrow();
    expect(em.faults.pending).toBe(0);
  });

  it("fails a seeded share of calls at random, the same way every run", async () => {
    const statuses = async () => {
      await using em = await emulator({ failRate: 0.3, failSeed: 5, callsPerMinute: Number.POSITIVE_INFINITY });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await post(em.url, { Query: "AlertInfo", Timespan: "PT5M" })).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    const failed = first.filter((s) => s !== 200);
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.length).toBeLessThan(18);
    expect(failed.every((s) => [500, 502, 503].includes(s))).toBe(true);
  });
});
