/** Defender keeps advanced-hunting data for 30 days; older windows would come back empty. */
export const huntingRetentionMs = 30 * 24 * 60 * 60_000;
