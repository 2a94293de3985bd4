/** One column of a hunting result, as the API describes it. */
export interface HuntingColumn {
  readonly name: string;
  /** `DateTime`, `String`, `Int32`, `Int64`, `Double`, `Boolean`, `Object`, `Dynamic`, ... */
  readonly type: string;
}

export interface HuntingResult {
  readonly schema: readonly HuntingColumn[];
  readonly results: readonly Record<string, unknown>[];
}

export interface HuntingRequest {
  readonly tenant: string;
  /** The KQL, already carrying the window's filter. */
  readonly query: string;
  /** ISO 8601 `start/end` */
  readonly timespan: string;
  readonly signal?: AbortSignal;
}

/**
 * The advanced-hunting API (Graph `runHuntingQuery`, or the legacy endpoint). Failures throw
 * `ThrottledError`, `TransientError`, `PermanentError`, `ConfigError`, or `ResultTooLargeError`.
 */
export interface HuntingApi {
  runHuntingQuery(request: HuntingRequest): Promise<HuntingResult>;
}
