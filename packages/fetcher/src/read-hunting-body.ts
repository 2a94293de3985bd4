import { ResultsSplitter } from "./results-splitter.ts";

/**
 * A 200 hunting response's body, parsed while it streams in (see `ResultsSplitter`): the rows of a
 * 100,000-row answer are parsed in batches as they arrive, and the raw body is never held whole.
 * Throws a SyntaxError for a body that is not JSON or ends early; a network failure or the
 * request's deadline surfaces as the stream's own error.
 */
export async function readHuntingBody(body: ReadableStream<Uint8Array> | null): Promise<unknown> {
  const splitter = new ResultsSplitter();
  if (body) for await (const chunk of body) splitter.push(chunk);
  return splitter.end();
}
