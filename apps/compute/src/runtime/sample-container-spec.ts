import type { ContainerSpec } from './container-runtime';

/** A container spec for the drivers' tests; each test overrides what it checks. */
export function sampleSpec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    id: 'a1b2c3d4',
    ownerId: '5f0c8e2a-1111-4c2b-9d7e-0123456789ab',
    image: 'ghcr.io/eddisonso/edd-compute-base:1.0.0',
    pullPolicy: 'IfNotPresent',
    cpuMillis: 500,
    memoryMb: 512,
    storageGb: 5,
    mountPaths: ['/root', '/srv/data'],
    sshEnabled: true,
    hostKey: {
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
      publicKey: 'ssh-ed25519 AAAAhost',
    },
    authorizedKeys: ['ssh-ed25519 AAAAuser user@laptop', 'ssh-ed25519 AAAAplatform edd-platform'],
    ingressPorts: [8080, 3000],
    ...overrides,
  };
}
