import type { IncomingMessage, ServerResponse } from "node:http";
import { applyFault } from "./apply-fault.ts";
import { type GraphFailure, sendGraphFailure } from "./graph-error.ts";
import type { CallOutcome, HuntingDesk } from "./hunting-desk.ts";
import { huntingMessages } from "./messages.ts";
import { queryScope } from "./query-scope.ts";
import { type HuntingRequestBody, parseBody, readBody } from "./request-body.ts";
import { serveResult } from "./serve-result.ts";
import type { SyntheticTenant } from "./synthetic-tenant.ts";

/**
 * One `runHuntingQuery` call, in the service's order as far as a client can tell: read the body,
 * play a programmed fault if one is due, apply the call quota (bad requests count against it too),
 * validate, then stream the rows.
 */
export async function handleHuntingCall(desk: HuntingDesk, tenant: SyntheticTenant, req: IncomingMessage, res: ServerResponse) {
  desk.stats.calls++;
  const parsed = parseBody(await readBody(req));
  let outcome: CallOutcome = { status: 0, rows: 0 };
  try {
    outcome = await answer(desk, tenant, parsed, res);
  } finally {
    const body = "status" in parsed ? undefined : parsed;
    desk.options.onCall?.({ tenant: tenant.id, query: body?.query, timespan: body?.timespan, ...outcome });
  }
}

async function answer(
  desk: HuntingDesk,
  tenant: SyntheticTenant,
  parsed: HuntingRequestBody | GraphFailure,
  res: ServerResponse,
) {
  const refusal = await admit(desk, tenant, res);
  if (refusal === "gone") return { status: 0, rows: 0 };
  if (refusal) return fail(desk, res, refusal);
  if ("status" in parsed) return fail(desk, res, parsed);
  const scope = queryScope({ options: desk.options, tenant, query: parsed.query, timespan: parsed.timespan });
  if ("status" in scope) return fail(desk, res, scope);
  const served = await serveResult(desk, scope, res);
  return "code" in served ? fail(desk, res, served) : served;
}

function fail(desk: HuntingDesk, res: ServerResponse, failure: GraphFailure): CallOutcome {
  if (failure.status === 429) desk.stats.throttled++;
  sendGraphFailure(res, failure);
  return { status: failure.status, rows: 0 };
}

/** A due fault or the call quota may refuse the call before it runs. */
async function admit(
  desk: HuntingDesk,
  tenant: SyntheticTenant,
  res: ServerResponse,
): Promise<GraphFailure | "gone" | undefined> {
  const fault = desk.faults.take(tenant.id) ?? desk.randomFaults.draw();
  if (fault) {
    desk.stats.faulted++;
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    const signal = AbortSignal.any([desk.closing, gone.signal]);
    const effect = await applyFault({ fault, res, signal, callsPerMinute: desk.options.callsPerMinute });
    if (effect !== "serve") return effect === "gone" ? "gone" : effect.failure;
  }
  const verdict = desk.quota.admit(tenant.id, desk.options.now());
  if (verdict.admitted) return undefined;
  const message = huntingMessages.callQuota(desk.options.callsPerMinute, verdict.retryAfterSeconds);
  return { status: 429, code: "TooManyRequests", message, retryAfterSeconds: verdict.retryAfterSeconds };
}
