import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ContainerSpec } from '../container-runtime';
import { containerLabels, namespaceFor, type NamingOptions } from './names';

/**
 * One namespace per container, so deleting it removes everything (cascade) and quotas/policies stay per container.
 * Pod Security: `baseline` is enforced because sshd must run as root with a few capabilities (see pod.ts), which
 * `restricted` forbids; `restricted` is audited and warned so any further drift shows.
 */
export function buildNamespace(spec: Pick<ContainerSpec, 'id' | 'ownerId'>, naming: NamingOptions): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceFor(spec.id, naming),
      labels: {
        ...containerLabels(spec),
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}
