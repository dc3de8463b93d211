export { createKubernetesRuntime, type KubernetesRuntimeOptions } from './kubernetes-runtime';
export { DEFAULT_GATEWAY_SELECTOR, type GatewaySelector } from './network-policy';
export { DEFAULT_COMPUTE_IDENTITY, type ComputeIdentity } from './role-binding';
export { DEFAULT_IMAGE, DEFAULT_NAMESPACE_PREFIX } from './names';
export { kubernetesOptionsFromConfig, kubernetesRuntimeConfigShape, type KubernetesRuntimeConfig } from './config';
