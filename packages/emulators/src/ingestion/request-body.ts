import type { IncomingMessage } from "node:http";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

const gunzipAsync = promisify(gunzip);

export type RequestBody =
  | { readonly kind: "read"; readonly text: string; readonly wireBytes: number }
  | { readonly kind: "tooLarge"; readonly wireBytes: number }
  | { readonly kind: "badEncoding"; readonly wireBytes: number; readonly message: string }
  /** The client went away before the body was complete: there is nobody to answer. */
  | { readonly kind: "aborted"; readonly wireBytes: number };

/**
 * Reads a call's body under the service's limit, which applies to the bytes on the wire AND to
 * the JSON after gunzip (a small gzip of a large array is refused too). An oversized body is still
 * drained, so the client reads a clean 413 instead of a reset connection.
 */
export async function readRequestBody(request: IncomingMessage, maxBodyBytes: number): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      wireBytes += chunk.length;
      if (wireBytes <= maxBodyBytes) chunks.push(chunk);
    }
  } catch {
    return { kind: "aborted", wireBytes };
  }
  if (!request.complete) return { kind: "aborted", wireBytes };
  if (wireBytes > maxBodyBytes) return { kind: "tooLarge", wireBytes };
  const raw = Buffer.concat(chunks);
  const encoding = (request.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return { kind: "read", text: raw.toString("utf8"), wireBytes };
  if (encoding !== "gzip") {
    return { kind: "badEncoding", wireBytes, message: `Content-Encoding "${encoding}" is not supported: use gzip.` };
  }
  try {
    const json = await gunzipAsync(raw, { maxOutputLength: maxBodyBytes });
    return { kind: "read", text: json.toString("utf8"), wireBytes };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return { kind: "tooLarge", wireBytes };
    return { kind: "badEncoding", wireBytes, message: `The body is not valid gzip: ${(e as Error).message}` };
  }
}
