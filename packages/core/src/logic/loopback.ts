const loopbackNames = new Set(["localhost", "[::1]", "::1"]);

/** True for 127.0.0.0/8, localhost and [::1]: the only hosts auth mode `none` may talk to. */
export function isLoopbackUrl(url: string): boolean {
  const { hostname } = new URL(url);
  return loopbackNames.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * A URL a token must not be sent to: plain http (any spelling of the scheme, as `new URL` reads it)
 * to a host that is not this machine. False for a URL that does not parse: that has its own issue.
 */
export function isPlainHttpOffLoopback(url: string): boolean {
  return URL.canParse(url) && new URL(url).protocol !== "https:" && !isLoopbackUrl(url);
}
