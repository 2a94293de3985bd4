import type { HuntingColumn, HuntingResult } from "@xdr-relay/core";
import { z } from "zod";

/** Reads `name`/`Name`, `schema`/`Schema`: one of Microsoft's documented examples capitalises them. */
function pick(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const Column = z.object({ name: z.string().min(1), type: z.string().default("Dynamic") });
const Row = z.record(z.string(), z.unknown());

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
  const results = z.array(Row).parse(pick(obj, "results"));
  return { schema, results };
}
