import { type Clock, systemClock } from "@xdr-relay/core";

/**
 * Wall time plus an offset that `sleep` advances instead of waiting: a 60 s pause or a scheduled
 * retry 60 s out passes in a few real ms. Share it with the embedded queue so its scheduled
 * messages come due on the same time line.
 */
export function virtualClock(realSleepMs = 5): Clock & { offsetMs: number } {
  return {
    offsetMs: 0,
    now() {
      return Date.now() + this.offsetMs;
    },
    async sleep(ms, signal) {
      this.offsetMs += ms;
      await systemClock.sleep(Math.min(ms, realSleepMs), signal);
    },
  };
}
