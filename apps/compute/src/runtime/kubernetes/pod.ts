import { createHash } from 'node:crypto';
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { ContainerSpec } from '../container-runtime';
import {
  containerLabels,
  DEFAULT_IMAGE,
  namespaceFor,
  OBJECT_NAMES,
  podSelectorLabels,
  SPEC_HASH_ANNOTATION,
  SSH_SECRET_DIR,
  subPathFor,
  type NamingOptions,
} from './names';
import { SSHD_CAPABILITIES } from '../sshd-capabilities';

const VOLUMES = { storage: 'storage', ssh: 'ssh-keys' } as const;

/** The fields a pod cannot change in place; keys, ports and sshEnabled are not among them (Secret, Service, gateway). */
export function podSpecHash(spec: ContainerSpec): string {
  const significant = [spec.image || DEFAULT_IMAGE, spec.pullPolicy, spec.cpuMillis, spec.memoryMb, [...spec.mountPaths].sort()];
  return createHash('sha256').update(JSON.stringify(significant)).digest('hex').slice(0, 10);
}

/**
 * A fresh name per pod (spec hash + `instance`), so a start right after a stop, or a changed spec, creates its pod
 * beside the terminating one instead of waiting for the old name to be released.
 */
export function podName(spec: ContainerSpec, instance: string): string {
  return `c-${podSpecHash(spec)}-${instance}`;
}

export function buildPod(spec: ContainerSpec, naming: NamingOptions, instance: string): IPod {
  // requests = limits: Guaranteed QoS, so one container cannot take what another was promised.
  const resources = { cpu: `${spec.cpuMillis}m`, memory: `${spec.memoryMb}Mi` };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(spec, instance),
      namespace: namespaceFor(spec.id, naming),
      labels: { ...containerLabels(spec), ...podSelectorLabels(spec.id) },
      annotations: { [SPEC_HASH_ANNOTATION]: podSpecHash(spec) },
    },
    spec: {
      hostname: spec.id,
      // The user's code must not hold a Kubernetes credential (the original mounted one into every container).
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 10,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: OBJECT_NAMES.container,
          image: spec.image || DEFAULT_IMAGE,
          imagePullPolicy: spec.pullPolicy,
          // sshd runs even with SSH off: the web terminal uses it too; the gateway enforces sshEnabled for outside logins.
          env: [{ name: 'EDD_MOUNT_PATHS', value: spec.mountPaths.join(':') }],
          ports: [{ name: 'ssh', containerPort: 22, protocol: 'TCP' }],
          resources: { requests: resources, limits: resources },
          securityContext: {
            // sshd runs as root and drops privileges itself; no setuid binary needs to gain more (no_new_privs is fine).
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ['ALL'], add: [...SSHD_CAPABILITIES] },
          },
          readinessProbe: { tcpSocket: { port: 22 }, periodSeconds: 2, failureThreshold: 3 },
          volumeMounts: [
            { name: VOLUMES.ssh, mountPath: SSH_SECRET_DIR, readOnly: true },
            ...spec.mountPaths.map((mountPath) => ({ name: VOLUMES.storage, mountPath, subPath: subPathFor(mountPath) })),
          ],
        },
      ],
      volumes: [
        { name: VOLUMES.ssh, secret: { secretName: OBJECT_NAMES.secret, defaultMode: 0o400 } },
        { name: VOLUMES.storage, persistentVolumeClaim: { claimName: OBJECT_NAMES.volumeClaim } },
      ],
    },
  };
}
