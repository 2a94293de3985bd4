import type { z } from "zod";

/** The message version this release reads and writes (`RowMessage.version`, `QueryWindow.version`). */
const readableVersion = 1;

/** Problems named in one description; the rest are counted. */
const shownProblems = 4;

/**
 * The `MalformedMessage` dead-letter description of a body that is not a `kind`, on one line so
 * `dlq list` can show it: a message of another version says so (its fields may all differ, and
 * listing them would bury that), anything else names each field and what is wrong with it.
 */
export function malformedDescription(kind: "RowMessage" | "QueryWindow", body: unknown, error: z.ZodError): string {
  const version = typeof body === "object" && body !== null ? (body as { version?: unknown }).version : undefined;
  if (typeof version === "number" && version !== readableVersion) {
    return (
      `a ${kind} of version ${version}; this release reads version ${readableVersion}: ` +
      "process it with the release that wrote it, or dlq drop --reason MalformedMessage"
    );
  }
  const problems = error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
  const more = problems.length > shownProblems ? `; and ${problems.length - shownProblems} more` : "";
  return `not a ${kind}: ${problems.slice(0, shownProblems).join("; ")}${more}`;
}
