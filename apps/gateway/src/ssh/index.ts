import { join } from 'node:path';
import type { EventBus } from '@edd/events';
import type { Logger } from '@edd/logger';
import type { GatewayConfig } from '../config';
import type { SshMetricsSink } from './audit';
import { ComputeSshAuthorizer } from './authorizer';
import { loadHostKeys } from './host-keys';
import { SshPlane } from './ssh-plane';

export { SshPlane } from './ssh-plane';
export { ComputeSshAuthorizer } from './authorizer';
export { loadHostKeys, parseHostKeys, type HostKey } from './host-keys';

export interface StartedSshPlane {
  plane: SshPlane;
  drain(graceMs: number): Promise<void>;
  stop(): Promise<void>;
}

type SshConfig = Pick<
  GatewayConfig,
  | 'COMPUTE_INTERNAL_URL'
  | 'SERVICE_API_KEY'
  | 'GATEWAY_SSH_HOST_KEY_FILE'
  | 'GATEWAY_SSH_AUTH_TIMEOUT_MS'
  | 'GATEWAY_SSH_MAX_UNAUTHENTICATED_PER_ADDRESS'
  | 'GATEWAY_SSH_MAX_AUTH_ATTEMPTS'
  | 'GATEWAY_SSH_MAX_CHANNELS'
  | 'GATEWAY_SSH_IDLE_TIMEOUT_MS'
  | 'GATEWAY_SSH_KEEPALIVE_MS'
  | 'GATEWAY_SSH_UPSTREAM_TIMEOUT_MS'
  | 'GATEWAY_SSH_AUTH_CACHE_MS'
>;

/** Host keys, compute's authorization (kept fresh by the bus) and the plane the edge hands `SSH-` connections to. */
export async function startSshPlane(options: {
  config: SshConfig;
  logger: Logger;
  workspaceRoot: string;
  bus?: Pick<EventBus, 'subscribe' | 'publish'>;
  metrics?: SshMetricsSink;
}): Promise<StartedSshPlane> {
  const { config, logger } = options;
  const hostKeys = loadHostKeys({
    keyFile: config.GATEWAY_SSH_HOST_KEY_FILE,
    devDir: join(options.workspaceRoot, '.data', 'gateway', 'ssh'),
  });
  logger.info('ssh host keys', { source: hostKeys.source, fingerprints: hostKeys.keys.map((k) => `${k.type} ${k.fingerprint}`) });
  const authorizer = new ComputeSshAuthorizer({
    baseUrl: config.COMPUTE_INTERNAL_URL,
    serviceKey: config.SERVICE_API_KEY,
    logger,
    cacheMs: config.GATEWAY_SSH_AUTH_CACHE_MS,
  });
  await authorizer.start(options.bus);
  const plane = new SshPlane({
    hostKeys: hostKeys.keys,
    authorizer,
    logger: logger.child({ component: 'ssh' }),
    metrics: options.metrics,
    bus: options.bus,
    limits: {
      authTimeoutMs: config.GATEWAY_SSH_AUTH_TIMEOUT_MS,
      maxUnauthenticatedPerAddress: config.GATEWAY_SSH_MAX_UNAUTHENTICATED_PER_ADDRESS,
      maxAuthAttempts: config.GATEWAY_SSH_MAX_AUTH_ATTEMPTS,
      maxChannels: config.GATEWAY_SSH_MAX_CHANNELS,
      idleTimeoutMs: config.GATEWAY_SSH_IDLE_TIMEOUT_MS,
      keepaliveMs: config.GATEWAY_SSH_KEEPALIVE_MS,
      upstreamTimeoutMs: config.GATEWAY_SSH_UPSTREAM_TIMEOUT_MS,
    },
  });
  return {
    plane,
    drain: (graceMs) => plane.drain(graceMs),
    stop: () => authorizer.stop(),
  };
}
