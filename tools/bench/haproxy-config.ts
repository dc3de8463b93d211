/**
 * HAProxy as the equivalent reverse proxy: `threads` threads (1 = the single-worker comparison), HTTP mode,
 * keep-alive both sides with idle upstream connections reused, the same forwarding headers the gateway adds and a
 * request id echoed to the client. No access log: HAProxy logs only to syslog, which this machine does not run.
 */
export function haproxyConfig(listenPort: number, upstreamPort: number, threads: number): string {
  return `
global
  nbthread ${threads}
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
frontend edge
  bind 127.0.0.1:${listenPort}
  unique-id-format %{+X}o\\ %ci:%cp_%fi:%fp_%Ts_%rt:%pid
  unique-id-header X-Request-ID
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request set-header X-Real-IP %[src]
  option forwardfor
  http-response set-header X-Request-ID %[unique-id]
  default_backend upstream
backend upstream
  server app 127.0.0.1:${upstreamPort} maxconn 64
`;
}
