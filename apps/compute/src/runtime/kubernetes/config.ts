import { env } from '@edd/config';
import type { KubernetesRuntimeOptions } from './kubernetes-runtime';
import { DEFAULT_NAMESPACE_PREFIX } from './names';
import { DEFAULT_GATEWAY_SELECTOR } from './network-policy';

/** The kubernetes runtime's own variables, for compute's config shape to spread in (the environment is read once there). */
export const kubernetesRuntimeConfigShape = {
  /** Namespaces are `<prefix><container id>`. */
  COMPUTE_K8S_NAMESPACE_PREFIX: env
    .string()
    .regex(/^[a-z][a-z0-9-]{0,40}$/, 'lowercase letters, digits and -')
    .default(DEFAULT_NAMESPACE_PREFIX),
  /** Where the gateway's pods run: the only pods a container admits connections from. */
  COMPUTE_K8S_GATEWAY_NAMESPACE: env.string().default(DEFAULT_GATEWAY_SELECTOR.namespace),
  /** The gateway pods' labels, `key=value` comma-separated. */
  COMPUTE_K8S_GATEWAY_LABELS: env.list().default(Object.entries(DEFAULT_GATEWAY_SELECTOR.podLabels).map(([k, v]) => `${k}=${v}`)),
  /** The StorageClass of the containers' volumes; the cluster's default when unset. */
  COMPUTE_K8S_STORAGE_CLASS: env.string().optional(),
};

export interface KubernetesRuntimeConfig {
  COMPUTE_K8S_NAMESPACE_PREFIX: string;
  COMPUTE_K8S_GATEWAY_NAMESPACE: string;
  COMPUTE_K8S_GATEWAY_LABELS: string[];
  COMPUTE_K8S_STORAGE_CLASS?: string | undefined;
}

export function kubernetesOptionsFromConfig(config: KubernetesRuntimeConfig): KubernetesRuntimeOptions {
  const podLabels = Object.fromEntries(
    config.COMPUTE_K8S_GATEWAY_LABELS.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`COMPUTE_K8S_GATEWAY_LABELS: expected key=value, got ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  return {
    namespacePrefix: config.COMPUTE_K8S_NAMESPACE_PREFIX,
    gatewaySelector: { namespace: config.COMPUTE_K8S_GATEWAY_NAMESPACE, podLabels },
    ...(config.COMPUTE_K8S_STORAGE_CLASS ? { storageClassName: config.COMPUTE_K8S_STORAGE_CLASS } : {}),
  };
}
