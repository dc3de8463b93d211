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

/**
 * What sshd and a root login need, nothing more (all within Pod Security `baseline`):
 * - CHOWN: sshd hands the session's pty to the login user; the entrypoint chowns the copied keys.
 * - SETUID, SETGID: the privilege-separated child drops to the `sshd` user, sessions switch to the login user.
 * - SYS_CHROOT: the pre-auth child chroots into /run/sshd (privilege separation), sshd exits without it.
 * - AUDIT_WRITE: PAM's session setup writes a login audit record; without it Debian's sshd refuses the login.
 * - NET_BIND_SERVICE: sshd listens on 22, and a user's server may bind 80/443 as ingress target ports.
 * - KILL: sshd's monitor (root) signals its children running as other users.
 * - DAC_OVERRIDE: root's shell reads and writes files of other users in the mount paths, as root normally can.
 * Not added: NET_RAW (no raw sockets/ping spoofing), SYS_ADMIN, MKNOD, SETFCAP, NET_ADMIN.
 */
export const SSHD_CAPABILITIES = [
  'CHOWN',
  'SETUID',
  'SETGID',
  'SYS_CHROOT',
  'AUDIT_WRITE',
  'NET_BIND_SERVICE',
  'KILL',
  'DAC_OVERRIDE',
] as const;

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
