import { generateEd25519Pair } from '@edd/ssh-keys';
import type { ContainerSecrets } from '../data/secrets';

/** The container's SSH host key and the platform key only this container trusts (the gateway logs in with it). */
export function generateContainerSecrets(containerId: string): ContainerSecrets {
  return { hostKey: generateEd25519Pair(`host-${containerId}`), platformKey: generateEd25519Pair(`platform-${containerId}`) };
}
