import { env, loadConfig, serviceConfigShape } from '@edd/config';
import type { z } from 'zod';

// The gateway reads no PORT/HOST: it owns several listeners, each with its own variable.
const { EDD_DOMAIN, DATABASE_URL, NATS_URL, NATS_USER, NATS_PASSWORD, LOG_LEVEL, SHUTDOWN_GRACE_MS } = serviceConfigShape(0);

const ms = (max: number) => env.int(0, max);

/** Every variable the gateway reads; the data plane (`./edge`) receives the parsed object. */
export const gatewayConfigShape = {
  EDD_DOMAIN,
  DATABASE_URL,
  NATS_URL,
  NATS_USER,
  NATS_PASSWORD,
  LOG_LEVEL,
  SHUTDOWN_GRACE_MS,

  // Listeners
  GATEWAY_BIND: env.string().default('127.0.0.1'),
  GATEWAY_HTTP_PORT: env.port().default(18080),
  GATEWAY_HTTPS_PORT: env.port().default(18443),
  GATEWAY_SSH_PORT: env.port().default(2222),
  /** Redirect plain HTTP for the platform's own hosts to HTTPS (when TLS is loaded). Off in development. */
  GATEWAY_HTTPS_REDIRECT: env.bool().default(false),
  /** Port advertised in those redirects (443 behind a port mapping); unset = GATEWAY_HTTPS_PORT. */
  GATEWAY_HTTPS_PUBLIC_PORT: env.port().optional(),
  GATEWAY_INGRESS_PORT_MIN: env.port().default(8000),
  GATEWAY_INGRESS_PORT_MAX: env.port().default(8999),
  /** Worker processes sharing the listeners; 0 = one per CPU core, 1 = single process. */
  GATEWAY_WORKERS: env.int(0, 256).default(1),
  /** Set by the cluster primary in each worker (0..n-1); worker 0 (or a single process) runs the admin port. */
  GATEWAY_WORKER_INDEX: env.int(0, 1024).optional(),

  // Admin (loopback only by default: never exposed through the public listeners)
  GATEWAY_ADMIN_BIND: env.string().default('127.0.0.1'),
  GATEWAY_ADMIN_PORT: env.port().default(19090),
  /** Bearer token for /admin/*; unset = admin API disabled (403). */
  GATEWAY_ADMIN_TOKEN: env.string().min(16, 'must be at least 16 characters').optional(),

  // Routes
  GATEWAY_ROUTES_FILE: env.string().default('manifests/gateway-routes.yaml'),
  GATEWAY_ROUTE_CACHE_SIZE: env.int(0, 1_000_000).default(100),
  GATEWAY_ROUTES_RELOAD_MS: ms(3_600_000).default(30_000),

  // Containers
  COMPUTE_INTERNAL_URL: env.url().default('http://127.0.0.1:4003'),
  SERVICE_API_KEY: env.string().optional(),
  GATEWAY_CONTAINER_RESYNC_MS: ms(3_600_000).default(60_000),

  // SSH plane (./ssh)
  /** The SSH host keys (one or more OpenSSH private keys in one file, a mounted Secret); unset = .data/gateway/ssh/, generated once. */
  GATEWAY_SSH_HOST_KEY_FILE: env.string().optional(),
  /** From connect to a successful login (sshd's LoginGraceTime). */
  GATEWAY_SSH_AUTH_TIMEOUT_MS: ms(600_000).default(30_000),
  /** Connections not logged in yet, per client address. */
  GATEWAY_SSH_MAX_UNAUTHENTICATED_PER_ADDRESS: env.int(1, 10_000).default(10),
  GATEWAY_SSH_MAX_AUTH_ATTEMPTS: env.int(1, 100).default(6),
  /** Open channels (sessions, forwards) per connection. */
  GATEWAY_SSH_MAX_CHANNELS: env.int(1, 10_000).default(64),
  /** No channel data either way for this long closes the connection; 0 = never. */
  GATEWAY_SSH_IDLE_TIMEOUT_MS: ms(86_400_000).default(3_600_000),
  GATEWAY_SSH_KEEPALIVE_MS: ms(600_000).default(15_000),
  GATEWAY_SSH_UPSTREAM_TIMEOUT_MS: ms(600_000).default(10_000),
  /** How long compute's authorization answers are reused (events drop them sooner). */
  GATEWAY_SSH_AUTH_CACHE_MS: ms(60_000).default(3_000),

  // TLS (defaults to .certs/dev/cloud.localhost.{crt,key} under the repo root when present)
  GATEWAY_TLS_CERT: env.string().optional(),
  GATEWAY_TLS_KEY: env.string().optional(),

  // Timeouts and limits of the data plane (names as read by ./edge/settings.ts)
  /** Deadline for a complete request head (slowloris guard). */
  GATEWAY_HEAD_TIMEOUT_MS: ms(300_000).default(10_000),
  /** Idle keep-alive between requests on a client connection. */
  GATEWAY_IDLE_TIMEOUT_MS: ms(3_600_000).default(60_000),
  /** Request bodies slower than this on average are answered 408 (time the gateway waited for the upstream excluded); 0 = off. */
  GATEWAY_BODY_MIN_BYTES_PER_SECOND: env.int(0, 1_000_000_000).default(256),
  /** Time a request body may take before the rate floor applies (slow starts, small bodies). */
  GATEWAY_BODY_RATE_GRACE_MS: ms(3_600_000).default(10_000),
  /** Time allowed for the upstream's response head (504 after). */
  GATEWAY_UPSTREAM_TIMEOUT_MS: ms(3_600_000).default(30_000),
  GATEWAY_MAX_CONNECTIONS: env.int(1, 1_000_000).default(10_000),
  /** Of those, kept for addresses holding fewer than 4 (default: a tenth of GATEWAY_MAX_CONNECTIONS). */
  GATEWAY_CONNECTION_RESERVE: env.int(0, 1_000_000).optional(),
  GATEWAY_MAX_CONNECTIONS_PER_ADDRESS: env.int(1, 1_000_000).default(256),
  /** Connections of one address before their first complete request head (slowloris floods). */
  GATEWAY_MAX_PENDING_PER_ADDRESS: env.int(1, 1_000_000).default(32),
  /** How long a connection may stay before its first head without counting against the pending cap. */
  GATEWAY_PENDING_GRACE_MS: env.int(10, 60_000).default(1_000),
  GATEWAY_ACCESS_LOG: env.bool().default(true),
  /**
   * Batched I/O for plain TCP sockets (src/edge/http/batched-io.ts): on where its addon was built (npm ci builds it
   * where a C compiler and Node's headers are); false reads and writes every socket through Node's handles.
   */
  GATEWAY_BATCHED_IO: env.bool().default(true),
  /** The addon's file when it is not beside the bundle or in apps/gateway/native/build. */
  GATEWAY_BATCH_IO_ADDON: env.string().optional(),

  // Response cache (reference gateway: GET 200, <= 1 MB, 30 s TTL, 500 MB total)
  GATEWAY_CACHE_ENABLED: env.bool().default(true),
  GATEWAY_CACHE_MAX_BYTES: env.int(0, Number.MAX_SAFE_INTEGER).default(500 * 1024 * 1024),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayConfigShape>>;

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigShape, source);
}
