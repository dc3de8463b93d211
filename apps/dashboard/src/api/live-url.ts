/** The WebSocket URL of `path` on a service: same host and port as its HTTP base, ws for http, wss for https. */
export function liveSocketUrl(httpBase: string, path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, httpBase);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
