/** A stored value with the version tag that must match to overwrite it (an ETag). */
export interface Versioned {
  readonly value: string;
  readonly etag: string;
}

/**
 * Where the scheduler remembers how far it got. Writes are compare-and-swap on `etag` so two
 * schedulers running at once cannot both advance the same checkpoint (one loses and re-reads).
 */
export interface CheckpointStore {
  read(key: string): Promise<Versioned | undefined>;
  /**
   * Writes `value` if the stored etag is still `expectedEtag` (undefined: only if absent).
   * Resolves with the new etag, or undefined when another writer got there first.
   */
  write(key: string, value: string, expectedEtag: string | undefined): Promise<string | undefined>;
}
