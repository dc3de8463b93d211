import type { Socket } from 'node:net';
import type { Logger } from '@edd/logger';

/**
 * Structural views of the control plane's classes. The edge only needs these few members, so it codes
 * against them instead of the concrete `RouteTable` / `ContainerIngressTable` / `GatewayMetrics`: the real
 * classes satisfy them, and tests or the benchmark can pass something smaller.
 */
export interface EdgeRoute {
  id?: number;
  host: string;
  pathPrefix: string;
  target: string;
  stripPrefix: boolean;
}

export interface EdgeRouteMatch {
  route: EdgeRoute;
  /**
   * Path (and query) to send upstream, after `stripPrefix`; when the route keeps the path (`keepsPath`), the edge
   * forwards the request's own target and does not read this.
   */
  upstreamPath: string;
}

export interface RouteMatcher {
  /** `path` is the request's path without its query (the edge adds the query to upstreamPath itself). */
  matchPath(host: string, path: string): EdgeRouteMatch | undefined;
}

export type IngressProtocol = 'http' | 'tls' | 'tcp';

export interface IngressTarget {
  host: string;
  port: number;
  protocol: IngressProtocol;
}

export interface ContainerLookup {
  lookup(containerId: string, externalPort: number): IngressTarget | undefined;
  ports(): ReadonlySet<number>;
  on(event: 'ports', listener: (ports: ReadonlySet<number>) => void): unknown;
  off?(event: 'ports', listener: (ports: ReadonlySet<number>) => void): unknown;
}

export interface EdgeMetrics {
  requestFinished(routeLabel: string, status: number, durationSeconds: number): void;
  upstreamLatency(seconds: number): void;
  connectionOpened(): void;
  connectionClosed(): void;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/**
 * The gateway settings the edge reads. Keys are the environment variable names, so the control plane's
 * `loadConfig` result (GatewayConfig) fits as is; every key is optional and has a default (see settings.ts).
 */
export interface EdgeConfig {
  EDD_DOMAIN?: string;
  GATEWAY_BIND?: string;
  GATEWAY_HTTP_PORT?: number;
  GATEWAY_HTTPS_PORT?: number;
  GATEWAY_SSH_PORT?: number;
  GATEWAY_UPSTREAM_TIMEOUT_MS?: number;
  GATEWAY_HEAD_TIMEOUT_MS?: number;
  GATEWAY_IDLE_TIMEOUT_MS?: number;
  GATEWAY_BODY_MIN_BYTES_PER_SECOND?: number;
  GATEWAY_BODY_RATE_GRACE_MS?: number;
  GATEWAY_MAX_CONNECTIONS?: number;
  GATEWAY_CONNECTION_RESERVE?: number;
  /** Batched I/O for plain TCP sockets (http/batched-io.ts); default on where its addon is built. */
  GATEWAY_BATCHED_IO?: boolean;
  GATEWAY_BATCH_IO_ADDON?: string;
  GATEWAY_MAX_CONNECTIONS_PER_ADDRESS?: number;
  GATEWAY_MAX_PENDING_PER_ADDRESS?: number;
  GATEWAY_PENDING_GRACE_MS?: number;
  GATEWAY_HTTPS_REDIRECT?: boolean;
  GATEWAY_HTTPS_PUBLIC_PORT?: number;
  GATEWAY_CACHE_ENABLED?: boolean;
  GATEWAY_CACHE_MAX_BYTES?: number;
  GATEWAY_ACCESS_LOG?: boolean;
  GATEWAY_INGRESS_PORT_MIN?: number;
  GATEWAY_INGRESS_PORT_MAX?: number;
}

/**
 * Receives a connection whose first bytes were `SSH-`. The socket is paused and `firstBytes` (everything
 * read so far) are no longer in it: replay them (`socket.unshift(firstBytes)`) or consume them, then resume.
 */
export type SshHandler = (socket: Socket, firstBytes: Buffer) => void;

export interface EdgeOptions {
  config: EdgeConfig;
  routes: RouteMatcher;
  containers: ContainerLookup;
  metrics: EdgeMetrics;
  logger: Logger;
  tls?: TlsMaterial;
  /** Where access log lines go (JSON lines, @edd/logger's shape); default process.stdout. */
  accessLogStream?: { write(chunk: Uint8Array): unknown };
  /** `service` field of access log lines; default 'gateway'. */
  serviceName?: string;
}

export interface Edge {
  /** Ports actually bound (useful when the config asked for port 0). */
  ports: { http: number; https: number; ssh: number };
  /** Ingress ports (8000-8999) currently open, port asked -> port bound. */
  ingressPorts(): ReadonlyMap<number, number>;
  setTls(tls: TlsMaterial): void;
  sshHandler: SshHandler;
  close(graceMs: number): Promise<void>;
}
