import type { IService } from 'kubernetes-models/v1/Service';
import type { ContainerSpec } from '../container-runtime';
import { containerLabels, namespaceFor, OBJECT_NAMES, podSelectorLabels, type NamingOptions } from './names';
import { openPorts } from './network-policy';

/**
 * A ClusterIP Service: the gateway dials `<service>.<namespace>.svc.cluster.local` on 22 or a target port. Never a
 * LoadBalancer: the original gave every container one and ran out of MetalLB addresses at ~49 containers, and it made
 * each container reachable from the LAN around the gateway.
 */
export function buildService(spec: ContainerSpec, naming: NamingOptions): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: OBJECT_NAMES.service, namespace: namespaceFor(spec.id, naming), labels: containerLabels(spec) },
    spec: {
      type: 'ClusterIP',
      selector: podSelectorLabels(spec.id),
      ports: openPorts(spec).map((port) => ({ name: port === 22 ? 'ssh' : `port-${port}`, protocol: 'TCP', port, targetPort: port })),
    },
  };
}

export function serviceAddress(id: string, naming: NamingOptions): string {
  return `${OBJECT_NAMES.service}.${namespaceFor(id, naming)}.svc.cluster.local`;
}
