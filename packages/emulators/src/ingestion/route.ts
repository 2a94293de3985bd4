import { serviceError, type UploadResponse } from "./service-error.ts";

/** `2023-01-01` is what `@azure/monitor-ingestion` 1.x sends; older SDKs sent the preview. */
export const ingestionApiVersions = ["2023-01-01", "2021-11-01-preview"] as const;

export interface UploadRoute {
  readonly ruleId: string;
  readonly streamName: string;
  readonly apiVersion: string | null;
}

// Azure matches fixed path segments case-insensitively; ids and stream names are taken as sent.
const uploadPath = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)\/?$/i;

/** The upload call a request addresses, or undefined when it addresses nothing the API serves. */
export function matchUploadRoute(method: string | undefined, rawUrl: string | undefined): UploadRoute | undefined {
  if (method !== "POST" || rawUrl === undefined) return undefined;
  const url = new URL(rawUrl, "http://emulator.invalid");
  const match = uploadPath.exec(url.pathname);
  if (match === null) return undefined;
  const [, ruleId = "", streamName = ""] = match;
  try {
    return {
      ruleId: decodeURIComponent(ruleId),
      streamName: decodeURIComponent(streamName),
      apiVersion: url.searchParams.get("api-version"),
    };
  } catch {
    return undefined; // a malformed %-escape names no rule
  }
}

/** A 400 in Azure's usual words when the api-version is missing or unknown, else undefined. */
export function apiVersionError(apiVersion: string | null): UploadResponse | undefined {
  if (apiVersion === null || apiVersion === "") {
    return serviceError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  if ((ingestionApiVersions as readonly string[]).includes(apiVersion)) return undefined;
  const supported = ingestionApiVersions.join(", ");
  return serviceError(
    400,
    "InvalidApiVersionParameter",
    `The api-version '${apiVersion}' is invalid. The supported versions are '${supported}'.`,
  );
}
