import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { ContainerSpec } from '../container-runtime';
import { containerLabels, namespaceFor, OBJECT_NAMES, type NamingOptions } from './names';

/** Which pods may open connections to a container: the gateway's, found by namespace name and pod labels. */
export interface GatewaySelector {
  namespace: string;
  podLabels: Record<string, string>;
}

/** The manifests run the gateway in `core` with app.kubernetes.io/name=gateway (manifests/apps/gateway.yaml). */
export const DEFAULT_GATEWAY_SELECTOR: GatewaySelector = { namespace: 'core', podLabels: { 'app.kubernetes.io/name': 'gateway' } };

/** Never reachable from a user's container: the cluster, the LAN, CGNAT and link-local (cloud metadata). */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] as const;

/** sshd plus the ingress rules' TARGET ports (the original opened the external port, wrong when they differ). */
export function openPorts(spec: Pick<ContainerSpec, 'ingressPorts'>): number[] {
  return [...new Set([22, ...spec.ingressPorts])].sort((a, b) => a - b);
}

export function buildNetworkPolicy(spec: ContainerSpec, naming: NamingOptions & { gateway: GatewaySelector }): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: OBJECT_NAMES.networkPolicy, namespace: namespaceFor(spec.id, naming), labels: containerLabels(spec) },
    spec: {
      // Every pod of the namespace: there is only the container's, and a stray one must not escape the policy.
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          // Both selectors in ONE peer: the gateway's pods in the gateway's namespace (two peers would be an OR).
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': naming.gateway.namespace } },
              podSelector: { matchLabels: naming.gateway.podLabels },
            },
          ],
          ports: openPorts(spec).map((port) => ({ protocol: 'TCP', port })),
        },
      ],
      egress: [
        {
          // DNS, to the cluster's resolver only.
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        // The internet, never the cluster or private networks.
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES] } }] },
      ],
    },
  };
}
