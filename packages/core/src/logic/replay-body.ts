/**
 * The body a replayed dead letter carries: a window or row message with its attempts and throttles
 * back at 0. A dead letter is replayed once its cause is fixed; left as it was, one that failed
 * `maxAttempts` times (`FetchFailed`, `IngestionFailed`) would give up on its first failure after
 * the replay. Any other body (not an object with a numeric `attempt`) is returned unchanged.
 */
export function replayBody(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const { attempt, throttles: _throttles, ...rest } = body as { attempt?: unknown; throttles?: unknown };
  if (typeof attempt !== "number") return body;
  return { ...rest, attempt: 0 };
}
