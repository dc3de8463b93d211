import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { ContainerSpec } from '../container-runtime';
import { containerLabels, namespaceFor, type NamingOptions } from './names';

/**
 * Compute's rights inside one container namespace. Its ClusterRole `edd-compute-container` is bound here, per
 * namespace, never cluster-wide, so compute cannot read Secrets or touch pods anywhere else (manifests/apps/compute.yaml).
 */
export interface ComputeIdentity {
  serviceAccountNamespace: string;
  serviceAccountName: string;
  clusterRoleName: string;
}

export const DEFAULT_COMPUTE_IDENTITY: ComputeIdentity = {
  serviceAccountNamespace: 'core',
  serviceAccountName: 'edd-compute',
  clusterRoleName: 'edd-compute-container',
};

export const ROLE_BINDING_NAME = 'edd-compute';

export function buildRoleBinding(
  spec: Pick<ContainerSpec, 'id' | 'ownerId'>,
  naming: NamingOptions,
  identity: ComputeIdentity,
): IRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: ROLE_BINDING_NAME, namespace: namespaceFor(spec.id, naming), labels: containerLabels(spec) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: identity.clusterRoleName },
    subjects: [{ kind: 'ServiceAccount', namespace: identity.serviceAccountNamespace, name: identity.serviceAccountName }],
  };
}
