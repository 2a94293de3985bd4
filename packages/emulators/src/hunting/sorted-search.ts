type Sorted = Float64Array | Uint32Array;

/** The first position in ascending `values` holding a value ≥ `value` (`values.length` if none). */
export function firstAtLeast(values: Sorted, value: number): number {
  return bisect(values, (v) => v < value);
}

/** The first position in ascending `values` holding a value > `value` (`values.length` if none). */
export function firstAbove(values: Sorted, value: number): number {
  return bisect(values, (v) => v <= value);
}

/** Binary search for the first position where `before` turns false (it must be monotone). */
function bisect(values: Sorted, before: (v: number) => boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(values[mid] as number)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
