import type { Logger } from '@edd/logger';
import { sourceNameOf, type HealthConfig } from '../config';
import { fetchContainerUsage } from './host/compute-containers';
import { createHostSource } from './host/host-source';
import { createKubernetesSource } from './kubernetes/kubernetes-source';
import type { MetricSource } from './metric-source';

/** HEALTH_SOURCE, or kubernetes when a cluster is configured, else this machine; logged with the reason. */
export function selectSource(config: HealthConfig, logger: Logger): MetricSource {
  const name = sourceNameOf(config);
  const why = config.HEALTH_SOURCE ? 'HEALTH_SOURCE' : name === 'kubernetes' ? 'KUBECONFIG or in-cluster' : 'no cluster configured';
  logger.info('metric source selected', { source: name, why });
  if (name === 'kubernetes') return createKubernetesSource({ logger });
  return createHostSource({
    ...(config.HEALTH_NODE_NAME ? { nodeName: config.HEALTH_NODE_NAME } : {}),
    diskPath: config.HEALTH_DISK_PATH,
    logger,
    containers: () => fetchContainerUsage({ computeUrl: config.COMPUTE_URL, serviceKey: config.SERVICE_API_KEY }),
  });
}
