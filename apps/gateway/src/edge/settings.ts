import type { EdgeConfig } from './types';

/** Resolved edge settings: the config with every default filled in. */
export interface EdgeSettings {
  domain: string;
  bind: string;
  httpPort: number;
  httpsPort: number;
  sshPort: number;
  upstreamTimeoutMs: number;
  headTimeoutMs: number;
  idleTimeoutMs: number;
  /** Request bodies slower than this on average (after the grace period) are answered 408; 0 = no floor. */
  bodyMinBytesPerSecond: number;
  bodyRateGraceMs: number;
  maxConnections: number;
  /** Connections kept for addresses holding few, once the rest is taken (net/address-limits.ts). */
  connectionReserve: number;
  maxConnectionsPerAddress: number;
  pendingGraceMs: number;
  /** Connections of one address still before their first request head (detection, TLS handshake, head). */
  maxPendingPerAddress: number;
  httpsRedirect: boolean;
  httpsPublicPort: number;
  cacheEnabled: boolean;
  cacheMaxBytes: number;
  accessLog: boolean;
  ingressPortMin: number;
  ingressPortMax: number;
  /** Limits that are not configurable: the numbers the issue and RFC 9112 discussions settle on. */
  maxHeadBytes: number;
  detectTimeoutMs: number;
}

export function resolveSettings(config: EdgeConfig): EdgeSettings {
  const httpsPort = config.GATEWAY_HTTPS_PORT ?? 18443;
  const maxConnections = config.GATEWAY_MAX_CONNECTIONS ?? 10_000;
  return {
    domain: (config.EDD_DOMAIN ?? 'cloud.localhost').toLowerCase(),
    bind: config.GATEWAY_BIND ?? '127.0.0.1',
    httpPort: config.GATEWAY_HTTP_PORT ?? 18080,
    httpsPort,
    sshPort: config.GATEWAY_SSH_PORT ?? 2222,
    upstreamTimeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS ?? 30_000,
    headTimeoutMs: config.GATEWAY_HEAD_TIMEOUT_MS ?? 10_000,
    idleTimeoutMs: config.GATEWAY_IDLE_TIMEOUT_MS ?? 60_000,
    bodyMinBytesPerSecond: config.GATEWAY_BODY_MIN_BYTES_PER_SECOND ?? 256,
    bodyRateGraceMs: config.GATEWAY_BODY_RATE_GRACE_MS ?? 10_000,
    maxConnections,
    connectionReserve: config.GATEWAY_CONNECTION_RESERVE ?? Math.floor(maxConnections / 10),
    maxConnectionsPerAddress: config.GATEWAY_MAX_CONNECTIONS_PER_ADDRESS ?? 256,
    maxPendingPerAddress: config.GATEWAY_MAX_PENDING_PER_ADDRESS ?? 32,
    // A client sends its first bytes within a round trip or two; a connection silent this long is holding a slot.
    pendingGraceMs: config.GATEWAY_PENDING_GRACE_MS ?? 1_000,
    // Opt-in: development and the e2e suite use plain http://cloud.localhost:18080.
    httpsRedirect: config.GATEWAY_HTTPS_REDIRECT ?? false,
    httpsPublicPort: config.GATEWAY_HTTPS_PUBLIC_PORT ?? httpsPort,
    cacheEnabled: config.GATEWAY_CACHE_ENABLED ?? true,
    cacheMaxBytes: config.GATEWAY_CACHE_MAX_BYTES ?? 500 * 1024 * 1024,
    accessLog: config.GATEWAY_ACCESS_LOG ?? true,
    ingressPortMin: config.GATEWAY_INGRESS_PORT_MIN ?? 8000,
    ingressPortMax: config.GATEWAY_INGRESS_PORT_MAX ?? 8999,
    maxHeadBytes: 16 * 1024,
    detectTimeoutMs: 5_000,
  };
}
