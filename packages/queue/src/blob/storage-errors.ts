// Guards on the shape of `RestError` (its `statusCode`, `code`), not `instanceof`, which breaks
// when two copies of @azure/core-rest-pipeline are installed.

function field(error: unknown, name: "statusCode" | "code"): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

export function isNotFound(error: unknown): boolean {
  return field(error, "statusCode") === 404;
}

/**
 * A compare-and-swap lost: 412 when `If-Match` no longer matches; for a create with
 * `If-None-Match: *` on an existing blob the service answers 409 `BlobAlreadyExists` (Azurite
 * has answered 412 too).
 */
export function isConditionFailed(error: unknown): boolean {
  const status = field(error, "statusCode");
  return status === 412 || (status === 409 && field(error, "code") === "BlobAlreadyExists");
}
