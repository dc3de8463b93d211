import { existsSync } from 'node:fs';
import type { Logger } from '@edd/logger';
import type { ComputeConfig } from '../config';
import type { ContainerRuntime, RuntimeName } from './container-runtime';
import { createDockerRuntime } from './docker';
import { createKubernetesRuntime, kubernetesOptionsFromConfig } from './kubernetes';
import { createSandboxRuntime } from './sandbox';

const DOCKER_SOCKET = '/var/run/docker.sock';

export interface RuntimeHost {
  platform: NodeJS.Platform;
  /** Set inside a Kubernetes pod. */
  kubernetesServiceHost: string | undefined;
  dockerSocket: boolean;
}

/**
 * COMPUTE_RUNTIME when set; otherwise: inside a cluster, kubernetes; on Linux, sandbox (which says what it lacks
 * when it cannot run, e.g. root or bubblewrap); elsewhere docker, when a Docker socket is there.
 */
export function detectRuntimeName(requested: RuntimeName | undefined, host: RuntimeHost): RuntimeName {
  if (requested) return requested;
  if (host.kubernetesServiceHost) return 'kubernetes';
  if (host.platform === 'linux') return 'sandbox';
  return host.dockerSocket ? 'docker' : 'sandbox';
}

export function selectRuntime(config: ComputeConfig, logger: Logger): ContainerRuntime {
  const name = detectRuntimeName(config.COMPUTE_RUNTIME, {
    platform: process.platform,
    kubernetesServiceHost: process.env['KUBERNETES_SERVICE_HOST'],
    dockerSocket: existsSync(DOCKER_SOCKET),
  });
  logger.info('container runtime selected', { runtime: name, requested: config.COMPUTE_RUNTIME ?? 'auto' });
  switch (name) {
    case 'kubernetes':
      return createKubernetesRuntime(kubernetesOptionsFromConfig(config));
    case 'docker':
      return createDockerRuntime();
    case 'sandbox':
      return createSandboxRuntime({
        dataDir: config.COMPUTE_DATA_DIR,
        subnet: config.COMPUTE_SANDBOX_SUBNET,
        bridge: config.COMPUTE_SANDBOX_BRIDGE,
        logger,
      });
  }
}
