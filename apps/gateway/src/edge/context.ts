import type { Logger } from '@edd/logger';
import type { AccessLog } from './access-log';
import type { SecureContext } from 'node:tls';
import type { CoarseClock } from './clock';
import type { ResponseCache } from './http/response-cache';
import type { UpstreamPool } from './http/upstream-pool';
import type { EdgeSettings } from './settings';
import type { ContainerLookup, EdgeMetrics, RouteMatcher, SshHandler } from './types';

/** Everything a connection needs, shared by all connections of one edge instance. */
export interface EdgeContext {
  settings: EdgeSettings;
  routes: RouteMatcher;
  containers: ContainerLookup;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Undefined when GATEWAY_ACCESS_LOG=false. */
  accessLog: AccessLog | undefined;
  pool: UpstreamPool;
  cache: ResponseCache | undefined;
  clock: CoarseClock;
  /** Current TLS context for termination; undefined when no certificate is configured. */
  secureContext: SecureContext | undefined;
  sshHandler: SshHandler;
  /** Set by close(): finish in-flight exchanges, then close instead of keeping alive. */
  closing: boolean;
  /** ".compute.<domain>" */
  containerSuffix: string;
}

/** How the connection reached us: which external port (for ingress lookups) and whether over TLS. */
export interface ListenerInfo {
  externalPort: number;
  secure: boolean;
  /** A container ingress port (8000-8999): only container hosts are served there. */
  ingress: boolean;
  /** The plain HTTP listener: the one that may redirect to HTTPS. */
  plainMain: boolean;
  /**
   * The SSH listener: a client still silent after a moment waits for the server's banner (RFC 4253 §4.2 lets it;
   * ssh-keyscan does), so it is handed to SSH instead of being closed at the detection deadline.
   */
  silentIsSsh?: boolean;
}

/** `<id>` when host is `<id>.compute.<domain>`, else undefined. */
export function containerIdOf(host: string, suffix: string): string | undefined {
  if (!host.endsWith(suffix) || host.length <= suffix.length) return undefined;
  const id = host.slice(0, host.length - suffix.length);
  return id.includes('.') ? undefined : id;
}
