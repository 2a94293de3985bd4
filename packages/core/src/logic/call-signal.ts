/**
 * `timeout`, also aborted by `stop` (the role's stop signal, which lives as long as the process).
 * Not `AbortSignal.any`: on Node 20 each signal it makes stays registered on its sources for good
 * (nodejs/node#55351), so one per call (a hunting query, an upload) grew the stop signal's list, and the heap, for as
 * long as the process ran. The listener here is removed when the call ends.
 */
export function callSignal(timeout: AbortSignal, stop: AbortSignal | undefined): { signal: AbortSignal } & Disposable {
  if (!stop) return { signal: timeout, [Symbol.dispose]: () => undefined };
  const controller = new AbortController();
  const abort = (source: AbortSignal) => () => controller.abort(source.reason);
  const onStop = abort(stop);
  const onTimeout = abort(timeout);
  if (stop.aborted) onStop();
  stop.addEventListener("abort", onStop, { once: true });
  timeout.addEventListener("abort", onTimeout, { once: true });
  return {
    signal: controller.signal,
    [Symbol.dispose]: () => {
      stop.removeEventListener("abort", onStop);
      timeout.removeEventListener("abort", onTimeout);
    },
  };
}
