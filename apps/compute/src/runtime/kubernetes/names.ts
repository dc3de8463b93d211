import type { ContainerSpec } from '../container-runtime';

/** Labels every object compute makes carries, so it can list its own and nothing else. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'edd-compute';
export const CONTAINER_ID_LABEL = 'edd.cloud/container-id';
export const OWNER_ID_LABEL = 'edd.cloud/owner-id';
/** The pod's spec fingerprint: a changed spec means a new pod (most pod fields are immutable). */
export const SPEC_HASH_ANNOTATION = 'edd.cloud/spec-hash';
/** Bumped when the keys change so the kubelet resyncs the pod and refreshes the mounted Secret at once. */
export const KEYS_HASH_ANNOTATION = 'edd.cloud/authorized-keys-hash';

export const FIELD_MANAGER = 'edd-compute';
export const DEFAULT_NAMESPACE_PREFIX = 'compute-';

/** Pinned, never `:latest` (the original's mutable tag): apps/compute/image/README.md builds it. */
export const DEFAULT_IMAGE = 'ghcr.io/eddisonso/edd-compute-base:1.0.0';

/** Fixed names inside the container's own namespace: the namespace already says whose it is. */
export const OBJECT_NAMES = {
  secret: 'ssh',
  volumeClaim: 'storage',
  networkPolicy: 'isolation',
  service: 'container',
  container: 'main',
} as const;

/** Where the image's entrypoint reads the Secret (apps/compute/image/entrypoint.sh). */
export const SSH_SECRET_DIR = '/etc/edd/ssh';
export const SECRET_KEYS = {
  authorizedKeys: 'authorized_keys',
  hostPrivateKey: 'ssh_host_ed25519_key',
  hostPublicKey: 'ssh_host_ed25519_key.pub',
} as const;

export interface NamingOptions {
  namespacePrefix: string;
}

export function namespaceFor(id: string, options: NamingOptions): string {
  return `${options.namespacePrefix}${id}`;
}

/** The inverse of namespaceFor, for objects found by label: undefined for a name that is not ours. */
export function idFromNamespace(namespace: string, options: NamingOptions): string | undefined {
  if (!namespace.startsWith(options.namespacePrefix)) return undefined;
  const id = namespace.slice(options.namespacePrefix.length);
  return /^[a-z0-9]{8}$/.test(id) ? id : undefined;
}

export function containerLabels(spec: Pick<ContainerSpec, 'id' | 'ownerId'>): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [CONTAINER_ID_LABEL]: spec.id, [OWNER_ID_LABEL]: labelValue(spec.ownerId) };
}

/** The pod's own labels: what the Service and the NetworkPolicy select. */
export function podSelectorLabels(id: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [CONTAINER_ID_LABEL]: id };
}

export function selectorString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A label value is at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric; owner ids (UUIDs) fit, anything else is folded. */
export function labelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || 'unknown';
}

/** A directory of the one volume per mount path: `/srv/data` → `mounts/srv/data` (one-to-one, unlike the original's `/`→`-`). */
export function subPathFor(mountPath: string): string {
  const segments = mountPath.split('/').filter(Boolean);
  if (!mountPath.startsWith('/') || segments.some((s) => s === '.' || s === '..'))
    throw new Error(`mount path must be absolute and plain: ${mountPath}`);
  return ['mounts', ...segments].join('/');
}
