import { createHash } from 'node:crypto';
import type { ContainerSpec } from '../container-runtime';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'edd-compute';
export const CONTAINER_ID_LABEL = 'edd.cloud/container-id';
export const OWNER_ID_LABEL = 'edd.cloud/owner-id';
export const MOUNT_PATH_LABEL = 'edd.cloud/mount-path';
/** The container's spec fingerprint: Docker cannot change image, limits or mounts in place, so a new one means recreate. */
export const SPEC_HASH_LABEL = 'edd.cloud/spec-hash';

/** Pinned, never `:latest`: apps/compute/image/README.md builds it. */
export const DEFAULT_IMAGE = 'ghcr.io/eddisonso/edd-compute-base:1.0.0';
export const DEFAULT_NETWORK = 'edd-compute';
/** Where the image's entrypoint reads the keys (apps/compute/image/entrypoint.sh), as in the Kubernetes Secret mount. */
export const SSH_KEYS_DIR = '/etc/edd/ssh';

export const containerName = (id: string) => `edd-compute-${id}`;

/** A named volume per mount path, named by a hash of the path so the same path finds the same volume after a recreate. */
export function volumeName(id: string, mountPath: string): string {
  return `edd-compute-${id}-${createHash('sha256').update(mountPath).digest('hex').slice(0, 10)}`;
}

export function baseLabels(spec: Pick<ContainerSpec, 'id' | 'ownerId'>): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [CONTAINER_ID_LABEL]: spec.id, [OWNER_ID_LABEL]: spec.ownerId };
}

export const managedFilter = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
export const containerFilter = (id: string) => `${CONTAINER_ID_LABEL}=${id}`;
