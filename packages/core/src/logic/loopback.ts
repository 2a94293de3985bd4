const loopbackNames = new Set(["localhost", "[::1]", "::1"]);

/** True for 127.0.0.0/8, localhost and [::1]: the only hosts auth mode `none` may talk to. */
export function isLoopbackUrl(url: string): boolean {
  const { hostname } = new URL(url);
  return loopbackNames.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
