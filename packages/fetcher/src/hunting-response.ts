import type { HuntingColumn, HuntingResult, HuntingRow } from "@xdr-relay/core";
import { z } from "zod";

/** Reads `name`/`Name`, `schema`/`Schema`: one of Microsoft's documented examples capitalises them. */
function pick(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const Column = z.object({ name: z.string().min(1), type: z.string().default("Dynamic") });

/**
 * Parses a hunting response body (Graph `schema`/`results`, or the legacy `Schema`/`Results`).
 * Throws a ZodError when the body is not a hunting result.
 */
export function parseHuntingResponse(body: unknown): HuntingResult {
  if (typeof body !== "object" || body === null) throw new TypeError("hunting response is not a JSON object");
  const obj = body as Record<string, unknown>;
  const rawSchema = z.array(z.record(z.string(), z.unknown())).parse(pick(obj, "schema") ?? []);
  const schema: HuntingColumn[] = rawSchema.map((c) => Column.parse({ name: pick(c, "name"), type: pick(c, "type") }));
  // No default for `results`: a body without them (`{}`, `[]`, an error object) is not "no rows", and
  // reading it as such would complete the window with its data missing.
  return { schema, results: rowsOf(pick(obj, "results")) };
}

/**
 * The rows, checked in place: a schema parse would copy every row of a 100,000-row result, a
 * second copy of the largest thing the fetcher holds.
 */
function rowsOf(results: unknown): HuntingRow[] {
  if (!Array.isArray(results)) throw new TypeError(`results is ${results === undefined ? "missing" : "not a list"}`);
  for (let i = 0; i < results.length; i++) {
    const row: unknown = results[i];
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new TypeError(`results[${i}] is not an object`);
  }
  return results as HuntingRow[];
}
