import type { z } from "zod";

/**
 * For tests (not exported from the package): the distinct dotted paths of the problems a schema
 * finds in `input` ("" for the object itself), or [] when it parses.
 */
export function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : [...new Set(result.error.issues.map((i) => i.path.join(".")))];
}
