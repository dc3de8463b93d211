import { loadConfig } from '@edd/config';
import { expect, it } from 'vitest';
import { kubernetesOptionsFromConfig, kubernetesRuntimeConfigShape } from './config';

it('defaults to the gateway of the manifests and compute- namespaces', () => {
  const options = kubernetesOptionsFromConfig(loadConfig(kubernetesRuntimeConfigShape, {}));
  expect(options).toEqual({
    namespacePrefix: 'compute-',
    gatewaySelector: { namespace: 'core', podLabels: { 'app.kubernetes.io/name': 'gateway' } },
  });
});

it('reads the gateway selector, prefix and storage class from the environment', () => {
  const config = loadConfig(kubernetesRuntimeConfigShape, {
    COMPUTE_K8S_NAMESPACE_PREFIX: 'c-',
    COMPUTE_K8S_GATEWAY_NAMESPACE: 'edd-cloud',
    COMPUTE_K8S_GATEWAY_LABELS: 'app.kubernetes.io/name=gateway, tier=edge',
    COMPUTE_K8S_STORAGE_CLASS: 'local-path',
  });
  expect(kubernetesOptionsFromConfig(config)).toEqual({
    namespacePrefix: 'c-',
    gatewaySelector: { namespace: 'edd-cloud', podLabels: { 'app.kubernetes.io/name': 'gateway', tier: 'edge' } },
    storageClassName: 'local-path',
  });
  expect(() => kubernetesOptionsFromConfig({ ...config, COMPUTE_K8S_GATEWAY_LABELS: ['nolabel'] })).toThrow(/key=value/);
  expect(() => loadConfig(kubernetesRuntimeConfigShape, { COMPUTE_K8S_NAMESPACE_PREFIX: 'Bad_' })).toThrow();
});
