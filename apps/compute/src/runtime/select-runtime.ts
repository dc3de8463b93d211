import type { Logger } from '@edd/logger';
import type { ComputeConfig } from '../config';
import type { ContainerRuntime } from './container-runtime';
import { unavailableRuntime } from './unavailable-runtime';

/**
 * The runtime COMPUTE_RUNTIME names (or the detected one). For now no driver is wired here: the drivers are built
 * separately and this function is replaced by their factory; until then compute runs with an unavailable runtime.
 */
export function selectRuntime(config: ComputeConfig, logger: Logger): ContainerRuntime {
  const name = config.COMPUTE_RUNTIME ?? 'sandbox';
  logger.warn('no container runtime driver is wired yet; containers cannot run', { runtime: name });
  return unavailableRuntime(
    name,
    'no runtime driver is wired into this build yet',
    'Build compute with the sandbox, docker or kubernetes driver.',
  );
}
