import { createHash } from 'node:crypto';
import type { ContainerCreateOptions, VolumeCreateOptions } from 'dockerode';
import type { ContainerSpec } from '../container-runtime';
import { SSHD_CAPABILITIES } from '../sshd-capabilities';
import { baseLabels, containerName, DEFAULT_IMAGE, MOUNT_PATH_LABEL, SPEC_HASH_LABEL, volumeName } from './names';

export const PIDS_LIMIT = 512;

export function dockerSpecHash(spec: ContainerSpec): string {
  const significant = [spec.image || DEFAULT_IMAGE, spec.cpuMillis, spec.memoryMb, [...spec.mountPaths].sort()];
  return createHash('sha256').update(JSON.stringify(significant)).digest('hex').slice(0, 10);
}

export function buildVolumeOptions(spec: ContainerSpec, mountPath: string): VolumeCreateOptions {
  return { Name: volumeName(spec.id, mountPath), Labels: { ...baseLabels(spec), [MOUNT_PATH_LABEL]: mountPath } };
}

/**
 * One container per spec on a user network, its ports NOT published on the host: the gateway dials the container's
 * address on that network. Limits as in Kubernetes (memory without extra swap, cpu as NanoCpus, a pid limit).
 */
export function buildContainerOptions(spec: ContainerSpec, network: string): ContainerCreateOptions {
  const memoryBytes = spec.memoryMb * 1024 * 1024;
  return {
    name: containerName(spec.id),
    Hostname: spec.id,
    Image: spec.image || DEFAULT_IMAGE,
    Labels: { ...baseLabels(spec), [SPEC_HASH_LABEL]: dockerSpecHash(spec) },
    Env: [`EDD_MOUNT_PATHS=${spec.mountPaths.join(':')}`],
    ExposedPorts: { '22/tcp': {} },
    // sshd writes its pid file once it listens: the engine's health events then tell compute "running", no polling.
    Healthcheck: {
      Test: ['CMD-SHELL', 'test -s /run/sshd.pid && kill -0 "$(cat /run/sshd.pid)"'],
      Interval: 2_000_000_000,
      Timeout: 1_000_000_000,
      Retries: 3,
      StartPeriod: 30_000_000_000,
    },
    HostConfig: {
      NetworkMode: network,
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: spec.cpuMillis * 1_000_000,
      PidsLimit: PIDS_LIMIT,
      CapDrop: ['ALL'],
      CapAdd: [...SSHD_CAPABILITIES],
      SecurityOpt: ['no-new-privileges:true'],
      // A crashed sshd comes back; a container compute stopped stays stopped (also across a daemon restart).
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: {},
      PublishAllPorts: false,
      Mounts: spec.mountPaths.map((mountPath) => ({ Type: 'volume' as const, Source: volumeName(spec.id, mountPath), Target: mountPath })),
    },
  };
}
